{#
    Per landing table and key bucket: the landed rows matched to the kept row of their key, and
    those of them quarantined (macro landing_row_matches), summed by tbl_audit_landing_accounting.
    Incremental, merge on (source_table, audit_bucket): a run re-matches, whole, the buckets in
    which rows landed since the high-water mark of landed_synced_at (a bucket holds every row of its
    keys, landed, kept or quarantined, so the others cannot have changed), so a daily sync matches
    the newest id range or month instead of all history; a full refresh matches every bucket. Any
    row a run failed to re-match would show in the accounting's lost_rows, which must be 0.
#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key=['source_table', 'audit_bucket'],
    on_schema_change='fail'
) }}

{%- for landing in landing_tables() %}
select * from (
    {{ landing_row_matches(landing.source, landing.table, landing.key_columns, landing.get('audit_bucket_column'), landing.get('audit_bucket_width'), is_incremental()) }}
) as {{ landing.table }}_matches
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
