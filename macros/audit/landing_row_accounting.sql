{#
    One row per landing table: how every landed row is accounted for.
      landed            rows Fivetran landed
      kept              rows in the raw model (one per key)
      superseded        landed rows that are an older version, or an exact re-delivery, of a kept row
      raw_quarantined   rows in tbl_raw_quarantine (null keys, conflicting duplicates), copies included
      unaccounted       landed - kept - superseded - raw_quarantined; must be 0
      staged            valid rows in tbl_stg_<entity>
      staging_quarantined  rows in tbl_stg_<entity>_quarantine
    Rows are matched on content (the row fingerprint) and load time, never on counts alone.
#}
{% macro landing_row_accounting(source_name, table_name, key_columns, entity) -%}
    {%- set landed_relation = source(source_name, table_name) -%}
    {#- SQLMesh renders a test once at load time, only to find the tables it reads, when no adapter call
        may run (flags.WHICH is 'parse'); the columns are read when it runs. dbt renders it only to run it. -#}
    {%- set columns = landed_columns(landed_relation) if flags.WHICH != 'parse' else [] -%}
    {%- set keys = key_columns | join(', ') -%}
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ landed_relation }}) as landed,
        (select count(*) from {{ ref('tbl_raw_' ~ table_name) }}) as kept,
        (
            select count(*)
            from (select landed.*, {{ row_fingerprint(columns, 'landed') }} as fingerprint from {{ landed_relation }} as landed) as landed_rows
            inner join (
                select {{ keys }}, _fivetran_synced, {{ row_fingerprint(columns) }} as fingerprint
                from {{ ref('tbl_raw_' ~ table_name) }}
            ) as kept_rows
                on {% for key in key_columns %}landed_rows.{{ key }} = kept_rows.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
            where not exists (
                select 1 from {{ ref('tbl_raw_quarantine') }} as quarantined
                where quarantined.source_table = '{{ table_name }}'
                  and quarantined.row_fingerprint = landed_rows.fingerprint
                  and quarantined._fivetran_synced = landed_rows._fivetran_synced
            )
            and (
                landed_rows._fivetran_synced < kept_rows._fivetran_synced
                or landed_rows.fingerprint = kept_rows.fingerprint
            )
        ) - (select count(*) from {{ ref('tbl_raw_' ~ table_name) }}) as superseded,
        (
            select coalesce(sum(copies_landed), 0)
            from {{ ref('tbl_raw_quarantine') }}
            where source_table = '{{ table_name }}'
        ) as raw_quarantined,
        (select count(*) from {{ ref('tbl_stg_' ~ entity) }}) as staged,
        (select count(*) from {{ ref('tbl_stg_' ~ entity ~ '_quarantine') }}) as staging_quarantined
{%- endmacro %}
