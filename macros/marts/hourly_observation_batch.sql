{#
    The CTEs `keyed` and `batch` of an hourly observation dimension (weather, traffic): staged hours
    keyed by the durable surrogate_key(location_id, hour_id(observed_at)) named `key_column`, and the
    hours to merge. A full build takes every hour; an incremental one takes the staged hours above the
    high-water mark (new and revised hours) and the hours the table does not hold yet whose location
    landed since the mark (orphans until then), one row per key (latest synced_at, then observed_at).
    The two are selected apart, each before it is keyed: the first reads only the rows past the mark
    (the staged rows are in load order, so the scan skips the rest), the second only the hours of
    the few locations that landed, looked up in {{ this }} by key — a sync never keys or joins the
    whole history.
#}
{% macro hourly_observation_batch(staged_model, key_column) -%}
{%- set key = surrogate_key(['observations.location_id', hour_id('observations.observed_at')]) -%}
{%- if is_incremental() %}
landed_locations as (
    select location_id from {{ ref('tbl_stg_locations') }}
    where {{ after_high_water_mark('synced_at') }}
    union all
    select location_id from {{ ref('tbl_stg_locations_quarantine') }}
    where {{ after_high_water_mark('synced_at') }}
),
{%- endif %}

keyed as (
    select
        {{ key }} as {{ key_column }},
        observations.*
    from {{ ref(staged_model) }} as observations
    {%- if is_incremental() %}
    where {{ after_high_water_mark('observations.synced_at') }}
    union all
    select
        {{ key }} as {{ key_column }},
        observations.*
    from {{ ref(staged_model) }} as observations
    where observations.location_id in (select landed_locations.location_id from landed_locations)
      and not exists (
          select 1
          from {{ this }} as existing
          where existing.{{ key_column }} = {{ key }}
      )
    {%- endif %}
),

batch as (
    select keyed.*
    from keyed
    qualify row_number() over (
        partition by keyed.{{ key_column }}
        order by keyed.synced_at desc, keyed.observed_at desc
    ) = 1
)
{%- endmacro %}
