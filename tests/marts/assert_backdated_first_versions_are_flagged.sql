{#
    A dimension version valid before its key's earliest snapshot record (the first moment the
    warehouse saw the entity) is backdated: the landing has no earlier history, so such a version
    must say so with is_backdated, and a flagged version must be one. Recomputed from the snapshots
    themselves, for the four SCD2 dimensions. Fails with the versions whose flag disagrees.
#}
{% set dimensions = [
    ('tbl_dim_customer', 'snp_customers', 'customer_id'),
    ('tbl_dim_location', 'snp_locations', 'location_id'),
    ('tbl_dim_route', 'snp_routes', 'route_id'),
    ('tbl_dim_vehicle', 'snp_vehicles', 'vehicle_id'),
] %}
{% for dimension, snapshot, key in dimensions %}
{{ 'union all' if not loop.first }}
select
    '{{ dimension }}' as dimension,
    versions.{{ key }} as entity_id,
    versions.valid_from_at,
    first_seen.first_seen_at,
    versions.is_backdated
from {{ ref(dimension) }} as versions
inner join (
    select
        {{ key }},
        min(dbt_valid_from) as first_seen_at
    from {{ ref(snapshot) }}
    where coalesce(dbt_is_deleted, 'False') <> 'True'
    group by {{ key }}
) as first_seen
    on versions.{{ key }} = first_seen.{{ key }}
where (versions.valid_from_at < first_seen.first_seen_at) <> versions.is_backdated
{% endfor %}
