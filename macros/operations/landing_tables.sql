{#
    The landing tables, as (dbt source name, table name) pairs: one source per Fivetran connector.
    The raw model of a table is tbl_raw_<table>, its staging model tbl_stg_<table>.
#}
{% macro landing_tables() -%}
    {{ return([
        ('azure_sql', 'customers'), ('azure_sql', 'locations'), ('azure_sql', 'routes'),
        ('azure_sql', 'vehicles'), ('azure_sql', 'shipments'), ('azure_sql', 'maintenance'),
        ('telematics', 'telematics'), ('weather_api', 'weather'), ('traffic_api', 'traffic'),
    ]) }}
{%- endmacro %}
