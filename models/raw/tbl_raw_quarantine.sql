{{ config(unique_key=['source_table', 'row_fingerprint', '_fivetran_synced']) }}

with customers_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'customers'), 'customers', ['customer_id']) }}
),

locations_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'locations'), 'locations', ['location_id']) }}
),

routes_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'routes'), 'routes', ['route_id']) }}
),

vehicles_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'vehicles'), 'vehicles', ['vehicle_id']) }}
),

shipments_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'shipments'), 'shipments', ['shipment_id']) }}
),

maintenance_key_defects as (
    {{ raw_quarantine_batch(source('azure_sql', 'maintenance'), 'maintenance', ['maintenance_id']) }}
),

telematics_key_defects as (
    {{ raw_quarantine_batch(source('telematics', 'telematics'), 'telematics', ['telemetry_id']) }}
),

weather_key_defects as (
    {{ raw_quarantine_batch(source('weather_api', 'weather'), 'weather', ['location_id', 'observed_at']) }}
),

traffic_key_defects as (
    {{ raw_quarantine_batch(source('traffic_api', 'traffic'), 'traffic', ['location_id', 'observed_at']) }}
),

final as (
    select * from customers_key_defects
    union all
    select * from locations_key_defects
    union all
    select * from routes_key_defects
    union all
    select * from vehicles_key_defects
    union all
    select * from shipments_key_defects
    union all
    select * from maintenance_key_defects
    union all
    select * from telematics_key_defects
    union all
    select * from weather_key_defects
    union all
    select * from traffic_key_defects
)

select
    final.*,
    {{ run_columns() }}
from final
