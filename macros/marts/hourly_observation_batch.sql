{#
    The CTEs `keyed` and `batch` of an hourly observation dimension (weather, traffic): staged hours
    keyed by the durable surrogate_key(location_id, hour_id(observed_at)) named `key_column`, and the
    hours to merge. A full build takes every hour; an incremental one takes the staged hours above the
    high-water mark (new and revised hours) and the hours the table does not hold yet whose location
    landed since the mark (orphans until then), one row per key (latest synced_at, then observed_at).
#}
{% macro hourly_observation_batch(staged_model, key_column) -%}
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
        {{ surrogate_key(['observations.location_id', hour_id('observations.observed_at')]) }} as {{ key_column }},
        observations.*
    from {{ ref(staged_model) }} as observations
),

batch as (
    select keyed.*
    from keyed
    {%- if is_incremental() %}
    left join {{ this }} as existing
        on keyed.{{ key_column }} = existing.{{ key_column }}
    where {{ after_high_water_mark('keyed.synced_at') }}
       or (
           existing.{{ key_column }} is null
           and keyed.location_id in (select landed_locations.location_id from landed_locations)
       )
    {%- endif %}
    qualify row_number() over (
        partition by keyed.{{ key_column }}
        order by keyed.synced_at desc, keyed.observed_at desc
    ) = 1
)
{%- endmacro %}
