{#
    SCD2 history of locations (timestamp strategy on updated_at). Soft-deleted rows are left out of the
    input, so a delete closes the current version and adds a deletion record (hard_deletes: new_record).
#}
{% snapshot snp_locations %}
    {{ config(
        unique_key='location_id',
        strategy='timestamp',
        updated_at='updated_at',
        hard_deletes='new_record'
    ) }}

    select *
    from {{ ref('tbl_stg_locations') }}
    where not is_deleted

{% endsnapshot %}
