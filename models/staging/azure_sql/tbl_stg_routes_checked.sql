{#
    Every raw routes row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_routes keeps the valid rows; tbl_stg_routes_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_routes') }}
),

locations_keys as (
    select distinct location_id from {{ ref('tbl_raw_locations') }}
),

renamed as (
    select
        -- ids
        route_id,
        origin_location_id,
        destination_location_id,
        -- numerics
        cast(distance_km as double) as distance_km,
        cast(planned_duration_min as integer) as planned_duration_min,
        -- timestamps
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        -- fivetran
        coalesce(_fivetran_deleted, false) as is_deleted,
        cast(_fivetran_synced as timestamp) as synced_at
    from source
),

checked as (
    select
        renamed.route_id,
        renamed.origin_location_id,
        renamed.destination_location_id,
        renamed.distance_km,
        renamed.planned_duration_min,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.origin_location_id is not null and origin_location_keys.location_id is null
                then 'orphan_origin_location'
            when renamed.destination_location_id is not null and destination_location_keys.location_id is null
                then 'orphan_destination_location'
            when renamed.distance_km <= 0 or renamed.planned_duration_min <= 0
                then 'non_positive_distance'
            when {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join locations_keys as origin_location_keys
        on renamed.origin_location_id = origin_location_keys.location_id
    left join locations_keys as destination_location_keys
        on renamed.destination_location_id = destination_location_keys.location_id
)

select * from checked
