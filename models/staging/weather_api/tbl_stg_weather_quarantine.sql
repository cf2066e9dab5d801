with checked as (
    select * from {{ ref('tbl_stg_weather_checked') }}
),

final as (
    select
        {{ row_key(['location_id', 'observed_at'], ['location_id', 'observed_at']) }} as row_key,
        rejection_reason,
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
    where rejection_reason is not null
)

select * from final
