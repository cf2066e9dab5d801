{#
    Every raw locations row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_locations keeps the valid rows; tbl_stg_locations_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_locations') }}
),

renamed as (
    select
        -- ids
        location_id,
        -- strings
        trim(name) as location_name,
        {{ clean_enum('location_type') }} as location_type,
        trim(city) as city,
        {{ clean_enum('region') }} as region,
        upper(trim(country)) as country_code,
        -- numerics
        cast(latitude as double) as latitude,
        cast(longitude as double) as longitude,
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
        renamed.location_id,
        renamed.location_name,
        renamed.location_type,
        renamed.city,
        renamed.region,
        renamed.country_code,
        renamed.latitude,
        renamed.longitude,
        renamed.created_at,
        renamed.updated_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.location_type is not null and known_location_type.location_type is null
                then 'unknown_location_type'
            when renamed.latitude not between -90 and 90 or renamed.longitude not between -180 and 180
                then 'coordinates_out_of_range'
            when {{ is_after_load('renamed.created_at', 'renamed.synced_at') }} or {{ is_after_load('renamed.updated_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_location_type') }} as known_location_type
        on renamed.location_type = known_location_type.location_type
)

select * from checked
