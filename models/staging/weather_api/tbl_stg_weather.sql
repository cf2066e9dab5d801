with checked as (
    select * from {{ ref('tbl_stg_weather_checked') }}
),

final as (
    select
        location_id,
        weather_condition,
        temperature_c,
        precipitation_mm,
        wind_speed_kmh,
        visibility_km,
        observed_at,
        is_deleted,
        synced_at
    from checked
    where rejection_reason is null
)

select * from final
