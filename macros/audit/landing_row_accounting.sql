{#
    How every landed row is accounted for, in two steps:
      landing_row_matches     per landing table and key bucket, the landed rows matched to the kept
                              row of their key (model tbl_audit_landing_matches, incremental: a
                              sync re-matches only the buckets it landed rows in)
      landing_row_accounting  per landing table, the accounting itself (model
                              tbl_audit_landing_accounting): counts of the layers and the bucket sums
    Columns of the accounting:
      landed            rows Fivetran landed
      kept              rows in the raw model (one per key)
      superseded        landed rows that are an older version, or an exact re-delivery, of a kept row
      raw_quarantined   rows in tbl_raw_quarantine (null keys, conflicting duplicates), copies included
      unaccounted       landed - kept - superseded - raw_quarantined; must be 0
      staged            valid rows in tbl_stg_<entity>
      staging_quarantined  rows in tbl_stg_<entity>_quarantine
    Rows are matched on content (the row fingerprint) and load time, never on counts alone.
#}

{# The audit bucket of a landed or kept row: ranges of bucket_width ids, or calendar months of a
   timestamp key (bucket_width none); -1 for a null key; 0 for a table without a bucket column
   (matched whole). #}
{% macro landing_audit_bucket(bucket_column, bucket_width, relation_alias) -%}
    {%- if bucket_column is none -%}
    cast(0 as bigint)
    {%- elif bucket_width is not none -%}
    coalesce(cast(floor(cast({{ relation_alias }}.{{ bucket_column }} as double) / {{ bucket_width }}) as bigint), -1)
    {%- else -%}
    coalesce(cast(extract(year from {{ relation_alias }}.{{ bucket_column }}) * 100 + extract(month from {{ relation_alias }}.{{ bucket_column }}) as bigint), -1)
    {%- endif -%}
{%- endmacro %}

{#
    One row per key bucket of a landing table: its landed rows, how many of them are matched to the
    kept row of their key (an older version, or the same content: a 64-bit hash of the business
    columns; md5 over text casts of every landed row cost more than the rest of a no-op build
    together), how many of those matched rows are quarantined (conflicting duplicates, found by key
    and load time first so that only they get the md5 fingerprint the quarantine stores), and the
    latest load time (the high-water mark). Incremental runs (incremental=true) match only the
    buckets of the rows landed since the mark: a landed row's match depends on its own key's rows
    only, and a key's landed, kept and quarantined rows all fall in its bucket.
#}
{% macro landing_row_matches(source_name, table_name, key_columns, bucket_column, bucket_width, incremental) -%}
    {%- set landed_relation = source(source_name, table_name) -%}
    {#- SQLMesh renders a model once at load time, only to find the tables it reads, when no adapter
        call may run (flags.WHICH is 'parse'); the columns are read when it runs. -#}
    {%- set columns = landed_columns(landed_relation) if flags.WHICH != 'parse' else [] -%}
    with
    {%- if incremental %}
    touched_buckets as (
        select distinct {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} as audit_bucket
        from {{ landed_relation }} as landed
        where {{ after_high_water_mark('landed._fivetran_synced', 'landed_synced_at', mark_filter="source_table = '" ~ table_name ~ "'") }}
    ),
    {%- endif %}
    {#- every relation below is read once (DuckDB materializes a CTE read twice, and at SF 10 a
        materialized copy of the landed rows spilled past the disk) #}
    matched_counts as (
        select landed_rows.audit_bucket, count(*) as matched_rows
        from (
            select
                {%- for key in key_columns %}
                landed.{{ key }},
                {%- endfor %}
                landed._fivetran_synced,
                {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} as audit_bucket,
                {{ row_content_hash(columns, 'landed') }} as content_hash
            from {{ landed_relation }} as landed
            {%- if incremental %}
            where {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} in (select touched_buckets.audit_bucket from touched_buckets)
            {%- endif %}
        ) as landed_rows
        inner join (
            select
                {%- for key in key_columns %}
                kept.{{ key }},
                {%- endfor %}
                kept._fivetran_synced,
                {{ row_content_hash(columns, 'kept') }} as content_hash
            from {{ ref('tbl_raw_' ~ table_name) }} as kept
            {%- if incremental %}
            where {{ landing_audit_bucket(bucket_column, bucket_width, 'kept') }} in (select touched_buckets.audit_bucket from touched_buckets)
            {%- endif %}
        ) as kept_rows
            on {% for key in key_columns %}landed_rows.{{ key }} = kept_rows.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
        where landed_rows._fivetran_synced < kept_rows._fivetran_synced
           or landed_rows.content_hash = kept_rows.content_hash
        group by landed_rows.audit_bucket
    ),
    {#- matched rows that are quarantined: the (few) quarantined rows first, by key and load time,
        so that only their landed rows get the md5 fingerprint the quarantine stores -#}
    quarantined_counts as (
        select {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} as audit_bucket, count(*) as quarantined_matched_rows
        from {{ ref('tbl_raw_quarantine') }} as quarantined
        inner join {{ landed_relation }} as landed
            on quarantined._fivetran_synced = landed._fivetran_synced
            and quarantined.row_key = {% for key in key_columns %}cast(landed.{{ key }} as {{ dbt.type_string() }}){% if not loop.last %} || '|' || {% endif %}{% endfor %}
        inner join {{ ref('tbl_raw_' ~ table_name) }} as kept
            on {% for key in key_columns %}landed.{{ key }} = kept.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
        where quarantined.source_table = '{{ table_name }}'
          and quarantined.row_fingerprint = {{ row_fingerprint(columns, 'landed') }}
          and (
              landed._fivetran_synced < kept._fivetran_synced
              or {{ row_content_hash(columns, 'landed') }} = {{ row_content_hash(columns, 'kept') }}
          )
          {%- if incremental %}
          and {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} in (select touched_buckets.audit_bucket from touched_buckets)
          {%- endif %}
        group by {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }}
    ),
    landed_counts as (
        select
            {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} as audit_bucket,
            count(*) as landed_rows,
            max(landed._fivetran_synced) as landed_synced_at
        from {{ landed_relation }} as landed
        {%- if incremental %}
        where {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }} in (select touched_buckets.audit_bucket from touched_buckets)
        {%- endif %}
        group by {{ landing_audit_bucket(bucket_column, bucket_width, 'landed') }}
    )
    select
        cast('{{ table_name }}' as {{ dbt.type_string() }}) as source_table,
        landed_counts.audit_bucket,
        landed_counts.landed_rows,
        coalesce(matched_counts.matched_rows, 0) as matched_rows,
        coalesce(quarantined_counts.quarantined_matched_rows, 0) as quarantined_matched_rows,
        landed_counts.landed_synced_at
    from landed_counts
    left join matched_counts
        on landed_counts.audit_bucket = matched_counts.audit_bucket
    left join quarantined_counts
        on landed_counts.audit_bucket = quarantined_counts.audit_bucket
{%- endmacro %}

{# One row per landing table: the accounting (see the top of this file), from the layers' counts and
   the bucket sums of tbl_audit_landing_matches. #}
{% macro landing_row_accounting(source_name, table_name, key_columns, entity) -%}
    select
        '{{ table_name }}' as source_table,
        (select count(*) from {{ source(source_name, table_name) }}) as landed,
        (select count(*) from {{ ref('tbl_raw_' ~ table_name) }}) as kept,
        (
            select coalesce(sum(matches.matched_rows) - sum(matches.quarantined_matched_rows), 0)
            from {{ ref('tbl_audit_landing_matches') }} as matches
            where matches.source_table = '{{ table_name }}'
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
