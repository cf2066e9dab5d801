{#
    Nothing is lost: per landing table, how every landed row is accounted for (landing_row_accounting).
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
),

final as (
    select
        source_table,
        landed as landed_rows,
        kept as kept_rows,
        superseded as superseded_rows,
        raw_quarantined as raw_quarantined_rows,
        staged as staged_rows,
        staging_quarantined as staging_quarantined_rows,
        landed - superseded - raw_quarantined - staged - staging_quarantined as lost_rows
    from accounting
)

select
    source_table,
    landed_rows,
    kept_rows,
    superseded_rows,
    raw_quarantined_rows,
    staged_rows,
    staging_quarantined_rows,
    lost_rows
from final
