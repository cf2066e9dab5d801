{#
    The landing tables the audits account for: source name, table name and key columns
    (generator/schema.py declares the same keys).
#}
{% macro audited_landing_tables() -%}
    {{ return([
        {'source': 'azure_sql', 'table': 'customers', 'key_columns': ['customer_id']},
        {'source': 'azure_sql', 'table': 'locations', 'key_columns': ['location_id']},
        {'source': 'azure_sql', 'table': 'routes', 'key_columns': ['route_id']},
        {'source': 'azure_sql', 'table': 'vehicles', 'key_columns': ['vehicle_id']},
        {'source': 'azure_sql', 'table': 'shipments', 'key_columns': ['shipment_id']},
        {'source': 'azure_sql', 'table': 'maintenance', 'key_columns': ['maintenance_id']},
        {'source': 'telematics', 'table': 'telematics', 'key_columns': ['telemetry_id']},
        {'source': 'weather_api', 'table': 'weather', 'key_columns': ['location_id', 'observed_at']},
        {'source': 'traffic_api', 'table': 'traffic', 'key_columns': ['location_id', 'observed_at']},
    ]) }}
{%- endmacro %}
