{#
    CTEs finding, per vehicle of `probes`, its last staged ping (not soft-deleted) before
    `before_at` and its first after `after_at` (at or after it when `after_inclusive`); callers read
    the last, <prefix>_neighbours:
      <prefix>_search_pings     the pings from var ping_search_window_days before the earliest
                                before_at: staged pings are stored in landing order, i.e. by time,
                                so this scalar bound skips the row groups of older history;
      <prefix>_neighbours_near  per vehicle with a ping in that window: previous_at and next_at
                                (every later ping is in the window, so next_at is exact);
      <prefix>_previous_far     per vehicle without an earlier ping in the window: its previous
                                ping over the whole history (empty when every vehicle pinged in
                                the window), so the result does not depend on the var;
      <prefix>_neighbours       one row per vehicle of `probes`: previous_at and next_at (null when
                                there is none) and has_ping (the vehicle has a ping at all).
    `before_at` and `after_at` are expressions over the `probes` CTE (one row per vehicle_id).
#}
{% macro vehicle_ping_neighbours(prefix, probes, before_at, after_at, after_inclusive) -%}
{%- set window_days = var('ping_search_window_days') -%}
{%- if window_days is not number or window_days < 0 -%}
    {%- do exceptions.raise_compiler_error(
        "var ping_search_window_days must be a number of days >= 0, got " ~ window_days
    ) -%}
{%- endif -%}
{{ prefix }}_search_pings as (
    select telemetry.vehicle_id, telemetry.recorded_at
    from {{ ref('tbl_stg_telematics') }} as telemetry
    where not telemetry.is_deleted
      and telemetry.recorded_at >= (
          select {{ dbt.dateadd('day', -1 * window_days, 'min(' ~ before_at ~ ')') }}
          from {{ probes }}
      )
),

{{ prefix }}_neighbours_near as (
    select
        {{ probes }}.vehicle_id,
        max(case when {{ prefix }}_search_pings.recorded_at < {{ before_at }} then {{ prefix }}_search_pings.recorded_at end) as previous_at,
        min(case when {{ prefix }}_search_pings.recorded_at {{ '>=' if after_inclusive else '>' }} {{ after_at }} then {{ prefix }}_search_pings.recorded_at end) as next_at
    from {{ probes }}
    inner join {{ prefix }}_search_pings
        on {{ probes }}.vehicle_id = {{ prefix }}_search_pings.vehicle_id
    group by {{ probes }}.vehicle_id
),

{{ prefix }}_previous_far as (
    select
        {{ probes }}.vehicle_id,
        max(telemetry.recorded_at) as previous_at
    from {{ probes }}
    left join {{ prefix }}_neighbours_near
        on {{ probes }}.vehicle_id = {{ prefix }}_neighbours_near.vehicle_id
    inner join {{ ref('tbl_stg_telematics') }} as telemetry
        on {{ probes }}.vehicle_id = telemetry.vehicle_id
        and telemetry.recorded_at < {{ before_at }}
    where {{ prefix }}_neighbours_near.previous_at is null
      and not telemetry.is_deleted
    group by {{ probes }}.vehicle_id
),

{{ prefix }}_neighbours as (
    select
        {{ probes }}.vehicle_id,
        coalesce({{ prefix }}_neighbours_near.previous_at, {{ prefix }}_previous_far.previous_at) as previous_at,
        {{ prefix }}_neighbours_near.next_at,
        {{ prefix }}_neighbours_near.vehicle_id is not null
            or {{ prefix }}_previous_far.vehicle_id is not null as has_ping
    from {{ probes }}
    left join {{ prefix }}_neighbours_near
        on {{ probes }}.vehicle_id = {{ prefix }}_neighbours_near.vehicle_id
    left join {{ prefix }}_previous_far
        on {{ probes }}.vehicle_id = {{ prefix }}_previous_far.vehicle_id
)
{%- endmacro %}
