{#
    Tank-to-wheel CO2 in kg: energy used (litres or kWh) × the fuel's emission factor per unit
    (seed enum_fuel_type.co2_kg_per_unit: e.g. 2.68 kg per litre of diesel, 0.233 kg per kWh).
#}
{% macro co2_kg(energy_used, co2_kg_per_unit) -%}
    ({{ energy_used }} * {{ co2_kg_per_unit }})
{%- endmacro %}
