{#
    Every dimension version a shipment points at was valid at the shipment's event: the customer
    version at the order's created_at, the vehicle, route and origin versions at the planned pickup.
    Fails with the shipments whose stored version is not the as-of one (e.g. left stale by an
    incremental run after a late dimension version).
#}
with shipments as (
    select * from {{ ref('tbl_fact_shipments') }}
),

customers as (
    select * from {{ ref('tbl_dim_customer') }}
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
),

routes as (
    select * from {{ ref('tbl_dim_route') }}
)

select
    shipments.shipment_id,
    shipments.customer_sk,
    shipments.vehicle_sk,
    shipments.route_sk
from shipments
left join customers
    on shipments.customer_sk = customers.customer_sk
left join vehicles
    on shipments.vehicle_sk = vehicles.vehicle_sk
left join routes
    on shipments.route_sk = routes.route_sk
where (shipments.customer_sk <> {{ unknown_key() }}
       and not (shipments.created_at >= customers.valid_from_at and shipments.created_at < customers.valid_to_at))
   or (shipments.vehicle_sk <> {{ unknown_key() }}
       and not (shipments.planned_pickup_at >= vehicles.valid_from_at and shipments.planned_pickup_at < vehicles.valid_to_at))
   or (shipments.route_sk <> {{ unknown_key() }}
       and not (shipments.planned_pickup_at >= routes.valid_from_at and shipments.planned_pickup_at < routes.valid_to_at))
   or (shipments.customer_sk = {{ unknown_key() }}
       and exists (
           select 1 from customers as known
           where known.customer_id = shipments.customer_id
             and shipments.created_at >= known.valid_from_at
             and shipments.created_at < known.valid_to_at
       ))
