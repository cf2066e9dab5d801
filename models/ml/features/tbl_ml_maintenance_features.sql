{#
    One row per vehicle per feature_date, as of the end of feature_date: telemetry aggregates over
    the 7 and 30 calendar days ending that day (pings the warehouse had seen land by then,
    tbl_ml_telemetry_landings), their trends (7 days against 30), breakdowns in the last 90 days,
    open maintenance jobs, km and days since the last completed scheduled service (odometer of the
    newest known ping less the odometer recorded at that service), the service interval, age and
    utilisation (tbl_ml_rolling_analytics' delivered km of the vehicle).
    Incremental (macro window_state_ctes): a run adds the days after the last built one, resuming
    the window sums, the odometer and the last service from the stored row, and reads only the pings
    that can change a window or the odometer after it (macro window_facts_changing_after).
#}
{%- set telemetry_measures = ['pings', 'engine_temp_readings', 'engine_temp_c', 'harsh_events', 'idling_pings', 'moving_pings', 'battery_readings', 'battery_voltage_v'] -%}
{%- set windows = [
    {'name': '7d', 'offset_days': 0, 'length_days': 7, 'measures': telemetry_measures, 'where': "contributions.fact_kind = 'ping'"},
    {'name': '30d', 'offset_days': 0, 'length_days': 30, 'measures': telemetry_measures, 'where': "contributions.fact_kind = 'ping'"},
    {'name': '90d', 'offset_days': 0, 'length_days': 90, 'measures': ['breakdowns'], 'where': "contributions.fact_kind = 'breakdown'"},
    {'name': 'now', 'offset_days': 0, 'length_days': none, 'measures': ['open_jobs'], 'where': "contributions.fact_kind = 'job'"},
] -%}
{%- set state_columns = [] -%}
{%- for window in windows -%}{%- for measure in window.measures -%}{%- do state_columns.append(measure ~ '_' ~ window.name) -%}{%- endfor -%}{%- endfor -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail'
) }}

with telemetry as (
    select * from {{ ref('tbl_ml_telemetry_landings') }}
),

maintenance as (
    select * from {{ ref('tbl_ml_maintenance_milestones') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
    where is_current
),

rolling as (
    select * from {{ ref('tbl_ml_rolling_analytics') }}
    where entity_type = 'vehicle'
),

initial_landing as (
    select min(telemetry.first_landed_at) as initial_landed_at
    from telemetry
),

known_pings as (
    select
        telemetry.*,
        cast({{ known_at('telemetry.recorded_at', 'telemetry.first_landed_at', 'initial_landing.initial_landed_at') }} as date) as known_date
    from telemetry
    cross join initial_landing
    {%- if is_incremental() %}
    where {{ window_facts_changing_after(
        windows | selectattr('name', 'in', ['7d', '30d']) | list,
        'cast(telemetry.recorded_at as date)',
        'cast(' ~ known_at('telemetry.recorded_at', 'telemetry.first_landed_at', 'initial_landing.initial_landed_at') ~ ' as date)',
        none,
        window_last_built_date()
    ) }}
    {%- endif %}
),

contributions as (
    select
        'ping' as fact_kind,
        'vehicle' as entity_type,
        known_pings.vehicle_id as entity_id,
        cast(known_pings.recorded_at as date) as event_date,
        known_pings.known_date,
        cast(null as date) as until_date,
        count(*) as pings,
        count(known_pings.engine_temp_c) as engine_temp_readings,
        round(sum(known_pings.engine_temp_c), 3) as engine_temp_c,
        sum(case when known_pings.is_harsh_braking then 1 else 0 end)
            + sum(case when known_pings.is_harsh_acceleration then 1 else 0 end) as harsh_events,
        sum(case when known_pings.is_idling then 1 else 0 end) as idling_pings,
        sum(case when known_pings.is_moving then 1 else 0 end) as moving_pings,
        count(known_pings.battery_voltage_v) as battery_readings,
        round(sum(known_pings.battery_voltage_v), 3) as battery_voltage_v,
        0 as breakdowns,
        0 as open_jobs
    from known_pings
    group by
        known_pings.vehicle_id,
        cast(known_pings.recorded_at as date),
        known_pings.known_date
    union all
    select
        case when maintenance.is_unplanned then 'breakdown' else 'job' end as fact_kind,
        'vehicle' as entity_type,
        maintenance.vehicle_id as entity_id,
        cast(coalesce(case when maintenance.is_unplanned then maintenance.performed_at end, maintenance.created_at) as date) as event_date,
        cast(maintenance.booking_known_at as date) as known_date,
        cast(case
            when maintenance.is_unplanned then maintenance.deleted_known_at
            else least(
                coalesce(maintenance.completed_known_at, maintenance.cancelled_known_at, maintenance.deleted_known_at),
                coalesce(maintenance.cancelled_known_at, maintenance.completed_known_at, maintenance.deleted_known_at),
                coalesce(maintenance.deleted_known_at, maintenance.completed_known_at, maintenance.cancelled_known_at)
            )
        end as date) as until_date,
        0 as pings,
        0 as engine_temp_readings,
        0 as engine_temp_c,
        0 as harsh_events,
        0 as idling_pings,
        0 as moving_pings,
        0 as battery_readings,
        0 as battery_voltage_v,
        case when maintenance.is_unplanned then 1 else 0 end as breakdowns,
        case when maintenance.is_unplanned then 0 else 1 end as open_jobs
    from maintenance
    where maintenance.vehicle_id is not null
),

deltas as (
    {{ rolling_window_deltas('contributions', windows, []) }}
),

{{ window_state_ctes('deltas', state_columns, "'vehicle'", 'built.vehicle_id') }},

odometer_by_known_day as (
    select
        known_pings.vehicle_id,
        known_pings.known_date,
        max(known_pings.odometer_km) as odometer_km
    from known_pings
    group by
        known_pings.vehicle_id,
        known_pings.known_date
),

services_by_known_day as (
    select
        maintenance.vehicle_id,
        cast(maintenance.completed_known_at as date) as known_date,
        max(maintenance.performed_at) as performed_at
    from maintenance
    where maintenance.maintenance_type = 'SCHEDULED_SERVICE'
      and maintenance.completed_known_at is not null
    group by
        maintenance.vehicle_id,
        cast(maintenance.completed_known_at as date)
),

{%- if is_incremental() %}

stored_progress as (
    select
        built.vehicle_id,
        built.odometer_km,
        built.last_service_at
    from {{ this }} as built
    where built.feature_date = (select max(latest.feature_date) from {{ this }} as latest)
),
{%- endif %}

progress as (
    select
        window_state.entity_id as vehicle_id,
        window_state.feature_date,
        {%- if is_incremental() %}
        greatest(
            coalesce(stored_progress.odometer_km, 0),
            coalesce(max(odometer_by_known_day.odometer_km) over (
            partition by window_state.entity_id
            order by window_state.feature_date
            rows between unbounded preceding and current row
        ), 0)
        ) as odometer_km_running,
        greatest(
            coalesce(stored_progress.last_service_at, cast('1900-01-01' as {{ dbt.type_timestamp() }})),
            coalesce(max(services_by_known_day.performed_at) over (
            partition by window_state.entity_id
            order by window_state.feature_date
            rows between unbounded preceding and current row
        ), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        ) as last_service_at_running
        {%- else %}
        coalesce(max(odometer_by_known_day.odometer_km) over (
            partition by window_state.entity_id
            order by window_state.feature_date
            rows between unbounded preceding and current row
        ), 0) as odometer_km_running,
        coalesce(max(services_by_known_day.performed_at) over (
            partition by window_state.entity_id
            order by window_state.feature_date
            rows between unbounded preceding and current row
        ), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as last_service_at_running
        {%- endif %}
    from window_state
    left join odometer_by_known_day
        on window_state.entity_id = odometer_by_known_day.vehicle_id
       and window_state.feature_date = odometer_by_known_day.known_date
    left join services_by_known_day
        on window_state.entity_id = services_by_known_day.vehicle_id
       and window_state.feature_date = services_by_known_day.known_date
    {%- if is_incremental() %}
    left join stored_progress
        on window_state.entity_id = stored_progress.vehicle_id
    {%- endif %}
),

last_services as (
    select
        maintenance.vehicle_id,
        maintenance.performed_at,
        max(maintenance.odometer_km) as odometer_km
    from maintenance
    where maintenance.maintenance_type = 'SCHEDULED_SERVICE'
      and maintenance.completed_known_at is not null
    group by
        maintenance.vehicle_id,
        maintenance.performed_at
),

final as (
    select
        cast(window_state.entity_id as bigint) as vehicle_id,
        cast(window_state.feature_date as date) as feature_date,
        {%- for window in windows %}
        {%- for measure in window.measures %}
        cast(window_state.{{ measure }}_{{ window.name }} as {{ 'decimal(20, 3)' if measure in ['engine_temp_c', 'battery_voltage_v'] else 'bigint' }}) as {{ measure }}_{{ window.name }},
        {%- endfor %}
        {%- endfor %}
        {{ safe_divide('window_state.engine_temp_c_7d', 'window_state.engine_temp_readings_7d') }} as avg_engine_temp_c_7d,
        {{ safe_divide('window_state.engine_temp_c_30d', 'window_state.engine_temp_readings_30d') }} as avg_engine_temp_c_30d,
        {{ safe_divide('window_state.engine_temp_c_7d', 'window_state.engine_temp_readings_7d') }}
            - {{ safe_divide('window_state.engine_temp_c_30d', 'window_state.engine_temp_readings_30d') }} as engine_temp_trend_c,
        {{ safe_divide('window_state.harsh_events_7d', 'window_state.pings_7d') }} as harsh_event_rate_7d,
        {{ safe_divide('window_state.harsh_events_30d', 'window_state.pings_30d') }} as harsh_event_rate_30d,
        {{ safe_divide('window_state.idling_pings_30d', 'window_state.pings_30d') }} as idle_share_30d,
        {{ safe_divide('window_state.moving_pings_7d', 'window_state.pings_7d') }} as moving_share_7d,
        {{ safe_divide('window_state.battery_voltage_v_7d', 'window_state.battery_readings_7d') }} as avg_battery_voltage_v_7d,
        {{ safe_divide('window_state.battery_voltage_v_7d', 'window_state.battery_readings_7d') }}
            - {{ safe_divide('window_state.battery_voltage_v_30d', 'window_state.battery_readings_30d') }} as battery_voltage_trend_v,
        cast(nullif(progress.odometer_km_running, 0) as double) as odometer_km,
        cast(nullif(progress.last_service_at_running, cast('1900-01-01' as {{ dbt.type_timestamp() }})) as {{ dbt.type_timestamp() }}) as last_service_at,
        {{ timestamp_diff('day', 'cast(nullif(progress.last_service_at_running, cast(\'1900-01-01\' as ' ~ dbt.type_timestamp() ~ ')) as date)', 'window_state.feature_date') }} as days_since_service,
        cast(nullif(progress.odometer_km_running, 0) - last_services.odometer_km as double) as km_since_service,
        cast(vehicles.maintenance_interval_km as double) as service_interval_km,
        {{ safe_divide('nullif(progress.odometer_km_running, 0) - last_services.odometer_km', 'vehicles.maintenance_interval_km') }} as service_interval_used_ratio,
        {{ safe_divide(timestamp_diff('day', 'vehicles.purchase_date', 'window_state.feature_date'), '365.25') }} as vehicle_age_years,
        cast(coalesce(rolling.deliveries_30d, 0) as bigint) as deliveries_30d,
        cast(coalesce(rolling.distance_km_30d, 0) as decimal(20, 3)) as delivered_distance_km_30d
    from window_state
    inner join progress
        on window_state.entity_id = progress.vehicle_id
       and window_state.feature_date = progress.feature_date
    left join last_services
        on window_state.entity_id = last_services.vehicle_id
       and progress.last_service_at_running = last_services.performed_at
    left join vehicles
        on window_state.entity_id = vehicles.vehicle_id
    left join rolling
        on window_state.entity_id = rolling.entity_id
       and window_state.feature_date = rolling.feature_date
)

select * from final
