{#
    Every landed version of every shipment (timestamp strategy on synced_at: a new version each time
    Fivetran lands the row again), soft-deleted rows included as versions of their own. The source
    overwrites shipments in place (CREATED → ASSIGNED → IN_TRANSIT → DELIVERED, then maybe deleted);
    this is the history the ML features read, so that a status change or a delete counts from the
    time the warehouse learned it, and a rebuild of the features (even --full-refresh) finds the
    same history. dbt_valid_from is the landing time (deterministic, not the wall clock).
#}
{% snapshot snp_shipments_landed %}
    {{ config(
        unique_key='shipment_id',
        strategy='timestamp',
        updated_at='synced_at'
    ) }}

    select *
    from {{ ref('tbl_stg_shipments') }}

{% endsnapshot %}
