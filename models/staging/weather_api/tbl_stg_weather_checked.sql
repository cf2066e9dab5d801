{#
    Every raw weather row, cleaned and typed, with the reason it fails validation (null when valid).
    tbl_stg_weather keeps the valid rows; tbl_stg_weather_quarantine keeps the others with their reason.
#}
with source as (
    select * from {{ ref('tbl_raw_weather') }}
),

locations_keys as (
    select distinct location_id from {{ ref('tbl_raw_locations') }}
),

renamed as (
    select
        -- ids
        location_id,
        -- strings
        {{ clean_enum('condition') }} as weather_condition,
        -- numerics
        cast(temperature_c as double) as temperature_c,
        cast(precipitation_mm as double) as precipitation_mm,
        cast(wind_speed_kmh as double) as wind_speed_kmh,
        cast(visibility_km as double) as visibility_km,
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
        renamed.weather_condition,
        renamed.temperature_c,
        renamed.precipitation_mm,
        renamed.wind_speed_kmh,
        renamed.visibility_km,
        renamed.observed_at,
        renamed.is_deleted,
        renamed.synced_at,
        case
            when renamed.weather_condition is not null and known_weather_condition.weather_condition is null
                then 'unknown_weather_condition'
            when renamed.location_id is not null and location_keys.location_id is null
                then 'orphan_location'
            when renamed.temperature_c not between -60 and 60 or renamed.precipitation_mm not between 0 and 300 or renamed.wind_speed_kmh not between 0 and 250 or renamed.visibility_km not between 0 and 100
                then 'sensor_out_of_range'
            when {{ is_after_load('renamed.observed_at', 'renamed.synced_at') }}
                then 'timestamp_after_load'
        end as rejection_reason
    from renamed
    left join {{ ref('enum_weather_condition') }} as known_weather_condition
        on renamed.weather_condition = known_weather_condition.weather_condition
    left join locations_keys as location_keys
        on renamed.location_id = location_keys.location_id
)

select * from checked
