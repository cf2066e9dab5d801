{#
    One row per location and observed hour (hourly weather from tbl_stg_weather) plus the unknown
    member. weather_sk is durable: surrogate_key(location_id, hour_id(observed_at)).
    Incremental (merge on weather_sk): a batch is every staged hour whose synced_at is above the
    high-water mark (new hours and revised recent hours), plus hours this table does not hold yet
    whose location landed since the mark (they were orphans until then). Hours quarantined by a new
    version are deleted first (pre-hook). Soft-deleted hours are kept, flagged is_deleted.
#}
-- depends_on: {{ ref('tbl_stg_weather_quarantine') }}
-- depends_on: {{ ref('tbl_stg_locations') }}
-- depends_on: {{ ref('tbl_stg_locations_quarantine') }}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='weather_sk',
    on_schema_change='fail',
    pre_hook="{{ delete_rows_quarantined_since_high_water_mark(ref('tbl_stg_weather_quarantine'), 'weather_sk', surrogate_key(['quarantined.location_id', hour_id('quarantined.observed_at')])) }}"
) }}

with {{ hourly_observation_batch('tbl_stg_weather', 'weather_sk') }},

weather_conditions as (
    select * from {{ ref('enum_weather_condition') }}
),

known_hours as (
    select
        batch.weather_sk,
        batch.location_id,
        batch.observed_at,
        cast(batch.observed_at as date) as observed_date,
        batch.weather_condition,
        weather_conditions.severity as weather_severity,
        batch.temperature_c,
        batch.precipitation_mm,
        batch.wind_speed_kmh,
        batch.visibility_km,
        (weather_conditions.severity >= 2) as is_severe_weather,
        batch.is_deleted,
        batch.synced_at
    from batch
    left join weather_conditions
        on batch.weather_condition = weather_conditions.weather_condition
),

unknown_hour as (
    select
        {{ unknown_key() }} as weather_sk,
        -1 as location_id,
        null as observed_at,
        null as observed_date,
        null as weather_condition,
        null as weather_severity,
        null as temperature_c,
        null as precipitation_mm,
        null as wind_speed_kmh,
        null as visibility_km,
        false as is_severe_weather,
        false as is_deleted,
        cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}) as synced_at
),

combined as (
    select * from known_hours
    {%- if not is_incremental() %}
    union all
    select * from unknown_hour
    {%- endif %}
),

final as (
    select
        cast(weather_sk as {{ dbt.type_string() }}) as weather_sk,
        cast(location_id as bigint) as location_id,
        cast(observed_at as {{ dbt.type_timestamp() }}) as observed_at,
        cast(observed_date as date) as observed_date,
        cast(weather_condition as {{ dbt.type_string() }}) as weather_condition,
        cast(weather_severity as integer) as weather_severity,
        cast(temperature_c as double) as temperature_c,
        cast(precipitation_mm as double) as precipitation_mm,
        cast(wind_speed_kmh as double) as wind_speed_kmh,
        cast(visibility_km as double) as visibility_km,
        cast(is_severe_weather as boolean) as is_severe_weather,
        cast(is_deleted as boolean) as is_deleted,
        cast(synced_at as {{ dbt.type_timestamp() }}) as synced_at
    from combined
)

select * from final
