{#
    Every dimension key of tbl_fact_shipments is the one recomputed from the staged shipment's own
    natural keys, all at one instant, the planned pickup (the event; created_at is when the order
    was recorded, which for a late-recorded order is after the trip): the version of that customer,
    vehicle and route, and of the route's origin location; the unknown member ('-1') exactly when
    no such version exists. Looking the versions up from staging
    (not through the fact's own keys) is what catches a join on the wrong natural key: a key that
    points at another customer's version valid at the same time fails here.
#}
with staged as (
    select
        shipment_id,
        customer_id,
        vehicle_id,
        route_id,
        planned_pickup_at
    from {{ ref('tbl_stg_shipments') }}
),

facts as (
    select
        shipment_id,
        customer_sk,
        vehicle_sk,
        route_sk,
        origin_location_sk
    from {{ ref('tbl_fact_shipments') }}
),

customers as (
    select * from {{ ref('tbl_dim_customer') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

routes as (
    select * from {{ ref('tbl_dim_route') }}
),

locations as (
    select * from {{ ref('tbl_dim_location') }}
),

expected_keys as (
    select
        staged.shipment_id,
        coalesce(customers.customer_sk, {{ unknown_key() }}) as customer_sk,
        coalesce(vehicles.vehicle_sk, {{ unknown_key() }}) as vehicle_sk,
        coalesce(routes.route_sk, {{ unknown_key() }}) as route_sk,
        coalesce(locations.location_sk, {{ unknown_key() }}) as origin_location_sk
    from staged
    left join customers
        on staged.customer_id = customers.customer_id
        and staged.planned_pickup_at >= customers.valid_from_at
        and staged.planned_pickup_at < customers.valid_to_at
    left join vehicles
        on staged.vehicle_id = vehicles.vehicle_id
        and staged.planned_pickup_at >= vehicles.valid_from_at
        and staged.planned_pickup_at < vehicles.valid_to_at
    left join routes
        on staged.route_id = routes.route_id
        and staged.planned_pickup_at >= routes.valid_from_at
        and staged.planned_pickup_at < routes.valid_to_at
    left join locations
        on routes.origin_location_id = locations.location_id
        and staged.planned_pickup_at >= locations.valid_from_at
        and staged.planned_pickup_at < locations.valid_to_at
)

select
    facts.shipment_id,
    facts.customer_sk,
    expected_keys.customer_sk as expected_customer_sk,
    facts.vehicle_sk,
    expected_keys.vehicle_sk as expected_vehicle_sk,
    facts.route_sk,
    expected_keys.route_sk as expected_route_sk,
    facts.origin_location_sk,
    expected_keys.origin_location_sk as expected_origin_location_sk
from facts
inner join expected_keys
    on facts.shipment_id = expected_keys.shipment_id
where facts.customer_sk <> expected_keys.customer_sk
   or facts.vehicle_sk <> expected_keys.vehicle_sk
   or facts.route_sk <> expected_keys.route_sk
   or facts.origin_location_sk <> expected_keys.origin_location_sk
