{#
    Nothing is lost: for every landing table, landed = kept + superseded + raw-quarantined, and
    every raw row is either staged or quarantined in staging. Fails with one row per table that does
    not add up.
#}
with accounting as (
    {{ landing_row_accounting('azure_sql', 'customers', ['customer_id'], 'customers') }}
    union all
    {{ landing_row_accounting('azure_sql', 'locations', ['location_id'], 'locations') }}
    union all
    {{ landing_row_accounting('azure_sql', 'routes', ['route_id'], 'routes') }}
    union all
    {{ landing_row_accounting('azure_sql', 'vehicles', ['vehicle_id'], 'vehicles') }}
    union all
    {{ landing_row_accounting('azure_sql', 'shipments', ['shipment_id'], 'shipments') }}
    union all
    {{ landing_row_accounting('azure_sql', 'maintenance', ['maintenance_id'], 'maintenance') }}
    union all
    {{ landing_row_accounting('telematics', 'telematics', ['telemetry_id'], 'telematics') }}
    union all
    {{ landing_row_accounting('weather_api', 'weather', ['location_id', 'observed_at'], 'weather') }}
    union all
    {{ landing_row_accounting('traffic_api', 'traffic', ['location_id', 'observed_at'], 'traffic') }}
)

select
    source_table,
    landed,
    kept,
    superseded,
    raw_quarantined,
    staged,
    staging_quarantined
from accounting
where landed <> kept + superseded + raw_quarantined
   or kept <> staged + staging_quarantined
   or superseded < 0
