{#
    Every landed version of every maintenance job (timestamp strategy on synced_at), soft-deleted
    rows included. The source overwrites jobs in place (SCHEDULED → IN_PROGRESS → COMPLETED, or
    CANCELLED); the ML features and the breakdown label read this history so that a job counts
    from the time the warehouse learned of it, whatever the rebuild.
#}
{% snapshot snp_maintenance_landed %}
    {{ config(
        unique_key='maintenance_id',
        strategy='timestamp',
        updated_at='synced_at'
    ) }}

    select *
    from {{ ref('tbl_stg_maintenance') }}

{% endsnapshot %}
