{#
    SCD2 history of routes (timestamp strategy on updated_at). Soft-deleted rows are left out of the
    input, so a delete closes the current version and adds a deletion record (hard_deletes: new_record).
#}
{% snapshot snp_routes %}
    {{ config(
        unique_key='route_id',
        strategy='timestamp',
        updated_at='updated_at',
        hard_deletes='new_record'
    ) }}

    select *
    from {{ ref('tbl_stg_routes') }}
    where not is_deleted

{% endsnapshot %}
