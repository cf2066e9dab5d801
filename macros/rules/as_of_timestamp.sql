{#
    The "as of" instant of every business rule, as a TIMESTAMP expression. Never the wall clock:
    - var('as_of') when set ('2025-12-31 23:00:00'), validated here so a typo fails at compile time;
    - else the latest synced_at landed in the operational tables (the latest Fivetran sync), so a
      rebuild of the same data gives the same answer whenever it runs.
#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of', none) -%}
    {%- if as_of is not none -%}
        {%- set text = as_of | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$', text) -%}
            {{ exceptions.raise_compiler_error(
                "var('as_of') must be a UTC date or timestamp such as '2025-12-31' or '2025-12-31 23:00:00', got '"
                ~ text ~ "'") }}
        {%- endif -%}
        cast('{{ text | replace("T", " ") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        (
            select max(latest_sync.synced_at)
            from (
                {%- for model in ['tbl_stg_customers', 'tbl_stg_locations', 'tbl_stg_routes', 'tbl_stg_vehicles', 'tbl_stg_shipments', 'tbl_stg_maintenance'] %}
                select max(synced_at) as synced_at from {{ ref(model) }}
                {%- if not loop.last %}
                union all
                {%- endif %}
                {%- endfor %}
            ) as latest_sync
        )
    {%- endif -%}
{%- endmacro %}
