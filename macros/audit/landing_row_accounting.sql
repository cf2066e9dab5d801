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
            {#- landed rows matched to the kept row of their key: an older version, or the same content
                (a 64-bit hash of the business columns: md5 over text casts of every landed row cost
                more than the rest of a no-op build together), less those among them that are
                quarantined (conflicting duplicates), found by key and load time first so that only
                they get the md5 fingerprint the quarantine stores -#}
            with matched as (
                select landed_rows.*
                from (select landed.*, {{ row_content_hash(columns, 'landed') }} as content_hash from {{ landed_relation }} as landed) as landed_rows
                inner join (
                    select {{ keys }}, _fivetran_synced, {{ row_content_hash(columns) }} as content_hash
                    from {{ ref('tbl_raw_' ~ table_name) }}
                ) as kept_rows
                    on {% for key in key_columns %}landed_rows.{{ key }} = kept_rows.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
                where landed_rows._fivetran_synced < kept_rows._fivetran_synced
                   or landed_rows.content_hash = kept_rows.content_hash
            )
            select
                (select count(*) from matched)
                - (
                    select count(*)
                    from {{ ref('tbl_raw_quarantine') }} as quarantined
                    inner join matched
                        on quarantined._fivetran_synced = matched._fivetran_synced
                        and quarantined.row_key = {% for key in key_columns %}cast(matched.{{ key }} as {{ dbt.type_string() }}){% if not loop.last %} || '|' || {% endif %}{% endfor %}
                    where quarantined.source_table = '{{ table_name }}'
                      and quarantined.row_fingerprint = {{ row_fingerprint(columns, 'matched') }}
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

{# A 64-bit hash of a row's business columns (hash() takes any number of values on DuckDB and
   Snowflake alike). The two engines' hash functions differ, so it only ever compares content within
   one query, never stored; md5 (row_fingerprint) stays the cross-engine fingerprint. #}
{% macro row_content_hash(columns, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    /* portable:row_content_hash compared only with another hash of the same build and engine, never stored or compared across engines */ hash({% for column in columns %}{{ prefix }}{{ column }}{% if not loop.last %}, {% endif %}{% else %}''{% endfor %}) /* /portable */
{%- endmacro %}
