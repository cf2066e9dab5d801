{#
    The versions of every SCD2 dimension (customer, vehicle, location, route) tile time without gap
    or overlap: per key, the first version starts at 1900-01-01, each version ends where the next
    one starts, and the last one ends at 9999-12-31 23:59:59 and is the only current one. As-of joins
    in the facts rely on it to find exactly one version for every instant.
#}
{%- set dimensions = [
    ('tbl_dim_customer', 'customer_id'),
    ('tbl_dim_vehicle', 'vehicle_id'),
    ('tbl_dim_location', 'location_id'),
    ('tbl_dim_route', 'route_id'),
] %}
with versions as (
    {%- for dimension, key in dimensions %}
    select
        '{{ dimension }}' as dimension,
        {{ key }} as entity_id,
        version_number,
        valid_from_at,
        valid_to_at,
        is_current,
        lag(valid_to_at) over (partition by {{ key }} order by valid_from_at) as previous_valid_to_at,
        lead(valid_from_at) over (partition by {{ key }} order by valid_from_at) as next_valid_from_at
    from {{ ref(dimension) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select *
from versions
where (previous_valid_to_at is null and valid_from_at <> cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
   or (previous_valid_to_at is not null and previous_valid_to_at <> valid_from_at)
   or (next_valid_from_at is null and valid_to_at <> cast('9999-12-31 23:59:59' as {{ dbt.type_timestamp() }}))
   or (next_valid_from_at is null) <> is_current
