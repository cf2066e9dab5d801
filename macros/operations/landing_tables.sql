{#
    The landing tables, one source per Fivetran connector: dbt source name, table name and key
    columns (generator/schema.py declares the same keys), and the key column whose ranges split the
    landing audit's matching into buckets (audit_bucket_column: ids in ranges of audit_bucket_width,
    timestamps by month; none: one bucket) so that a sync re-matches only the buckets it landed in.
    The widths follow how the ids grow: shipments in booking order (65,536 ≈ a few days at SF 10);
    a device numbers a vehicle's pings by trip (100 ids a trip), so 1,024 ids ≈ ten trips of one vehicle. The raw model of a table is
    tbl_raw_<table>, its staging model tbl_stg_<table>. The one list of the project: the freshness,
    sync-status, quarantine and data-quality views loop over it, and the audits account for every
    table in it.
#}
{% macro landing_tables() -%}
    {{ return([
        {'source': 'azure_sql', 'table': 'customers', 'key_columns': ['customer_id']},
        {'source': 'azure_sql', 'table': 'locations', 'key_columns': ['location_id']},
        {'source': 'azure_sql', 'table': 'routes', 'key_columns': ['route_id']},
        {'source': 'azure_sql', 'table': 'vehicles', 'key_columns': ['vehicle_id']},
        {'source': 'azure_sql', 'table': 'shipments', 'key_columns': ['shipment_id'], 'audit_bucket_column': 'shipment_id', 'audit_bucket_width': 65536},
        {'source': 'azure_sql', 'table': 'maintenance', 'key_columns': ['maintenance_id']},
        {'source': 'telematics', 'table': 'telematics', 'key_columns': ['telemetry_id'], 'audit_bucket_column': 'telemetry_id', 'audit_bucket_width': 1024},
        {'source': 'weather_api', 'table': 'weather', 'key_columns': ['location_id', 'observed_at'], 'audit_bucket_column': 'observed_at'},
        {'source': 'traffic_api', 'table': 'traffic', 'key_columns': ['location_id', 'observed_at'], 'audit_bucket_column': 'observed_at'},
    ]) }}
{%- endmacro %}
