{#
    Every raw traffic row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_traffic keeps the valid rows; tbl_stg_traffic_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_traffic') }}
),

locations_keys as (
    select distinct location_id from {{ ref('tbl_raw_locations') }}
),

renamed as (
    select
        -- ids
        location_id,
        -- numerics
        cast(congestion_index as double) as congestion_index,
        cast(avg_speed_kmh as double) as avg_speed_kmh,
        cast(incident_count as integer) as incident_count,
        -- timestamps
        cast(observed_at as timestamp) as observed_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.location_id,
        renamed.congestion_index,
        renamed.avg_speed_kmh,
        renamed.incident_count,
        renamed.observed_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.location_id is not null and location_keys.location_id is null
                then 'orphan_location'
            when renamed.congestion_index not between 0 and 1 or renamed.avg_speed_kmh not between 0 and 200 or renamed.incident_count < 0
                then 'sensor_out_of_range'
            when {{ is_after_load('renamed.observed_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join locations_keys as location_keys
        on renamed.location_id = location_keys.location_id
)

select * from checked
