{#
    The defect audit, row by row: every defect the generator injected (its manifest, empty where the
    generator did not land the data) and what the warehouse did with it.
#}
with manifest as (
    {{ generator_defect_manifest() }}
),

customers_defects as (
    {{ defect_outcomes('customers', ['customer_id']) }}
),

locations_defects as (
    {{ defect_outcomes('locations', ['location_id']) }}
),

routes_defects as (
    {{ defect_outcomes('routes', ['route_id']) }}
),

vehicles_defects as (
    {{ defect_outcomes('vehicles', ['vehicle_id']) }}
),

shipments_defects as (
    {{ defect_outcomes('shipments', ['shipment_id']) }}
),

maintenance_defects as (
    {{ defect_outcomes('maintenance', ['maintenance_id']) }}
),

telematics_defects as (
    {{ defect_outcomes('telematics', ['telemetry_id']) }}
),

weather_defects as (
    {{ defect_outcomes('weather', ['location_id', 'observed_at']) }}
),

traffic_defects as (
    {{ defect_outcomes('traffic', ['location_id', 'observed_at']) }}
),

final as (
    select * from customers_defects
    union all
    select * from locations_defects
    union all
    select * from routes_defects
    union all
    select * from vehicles_defects
    union all
    select * from shipments_defects
    union all
    select * from maintenance_defects
    union all
    select * from telematics_defects
    union all
    select * from weather_defects
    union all
    select * from traffic_defects
)

select
    table_name,
    row_key,
    defect_type,
    outcome,
    what_happened,
    is_handling_documented
from final
