{#
    The rows of one landing table that cannot enter its raw model because of a key defect (see
    classify_landed_rows), one row per distinct content and sync, with how many copies arrived.
    Incremental runs read only rows above the raw model's own high-water mark: the raw models build
    after the quarantine (they declare a dependency on it), so that mark is where the previous run
    stopped, and a table with no defects does not make the quarantine rescan its history.
#}
{% macro raw_quarantine_batch(source_relation, table_name, key_columns) -%}
    {%- set columns = landed_columns(source_relation) -%}
    {%- set raw_relation = adapter.get_relation(this.database, this.schema, 'tbl_raw_' ~ table_name) -%}
    {%- set landed_rows -%}
        select *
        from {{ source_relation }}
        {%- if is_incremental() and raw_relation is not none %}
        where {{ after_high_water_mark('_fivetran_synced', '_fivetran_synced', raw_relation) }}
        {%- endif %}
    {%- endset %}
    with classified as (
        {{ classify_landed_rows(landed_rows, key_columns, columns) }}
    )

    select
        '{{ table_name }}' as source_table,
        {{ row_key(key_columns, columns) }} as row_key,
        key_defect as rejection_reason,
        {{ row_fingerprint(columns) }} as row_fingerprint,
        {{ json_object(columns) }} as row_json,
        _fivetran_synced,
        count(*) as copies_landed
    from classified
    where key_defect is not null
    group by 1, 2, 3, 4, 5, 6
{%- endmacro %}
