{#
    Energy a trip uses, in the unit of the vehicle's fuel (litres, or kWh for ELECTRIC; seed
    enum_fuel_type.energy_unit): distance × rated consumption per 100 km / 100.
#}
{% macro energy_used(distance_km, consumption_per_100km) -%}
    {{ safe_divide(distance_km ~ ' * ' ~ consumption_per_100km, 100) }}
{%- endmacro %}
