{#
    Fails for every non-null value of the column that is not listed in the given column of an
    enumeration seed (seeds/*.csv), so the allowed values are defined once.
#}
{% test accepted_values_from_seed(model, column_name, seed, seed_column) %}
    select distinct tested.{{ column_name }}
    from {{ model }} as tested
    where tested.{{ column_name }} is not null
      and tested.{{ column_name }} not in (
        select enumeration.{{ seed_column }} from {{ ref(seed) }} as enumeration
      )
{% endtest %}
