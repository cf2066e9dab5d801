{#
    One row per shipment (tbl_stg_shipments), soft-deleted ones kept and flagged, with the customer,
    vehicle, route and origin versions valid at one instant, the planned pickup (as-of joins on the
    SCD2 dimensions), and the business rules of macros/rules. The source's created_at is when the
    order was recorded: for an order recorded late (after its pickup, is_recorded_after_pickup) it
    says nothing about when the customer ordered, so no dimension is taken at it.

    Incremental, merge on shipment_id. The batch is every staged shipment that
      - has a synced_at above the table's high-water mark (new shipments, late status changes,
        soft deletes: a change always arrives with a new synced_at, whatever its event time), or
      - is not in the table yet (it passed validation only now, e.g. its parent landed late), or
      - now resolves to another dimension version than the one stored (a dimension version landed
        late or was corrected),
    deduplicated by shipment_id (latest synced_at wins; ties go to the latest updated_at, then to
    the row further along: delivered, then picked up). The candidate ids are chosen before any
    as-of join, so the deduplication and the joins cover the batch only: new_or_missing_shipments
    (synced since the mark, or absent from the table), stale_stored_keys (a stored version key
    that no longer holds: looked up by equality on the key, it must still exist for the
    shipment's natural key with a window holding the event time; the origin through the stored
    route version) and resolved_unknown_keys (a stored unknown key '-1' for which a version now
    matches). Every staged version of a stored shipment is checked, so a superseded one can only
    add a shipment to the batch, never drop one. Shipments that left staging (quarantined by
    a later version or by a parent's change) are deleted first (pre-hook). Every column is a
    function of staging, the dimensions and the seeds only, so the table equals a full refresh
    after any sequence of syncs. (A change to a seed needs a full refresh.)
#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='shipment_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rows_missing_from(ref('tbl_stg_shipments'), 'shipment_id') }}"
) }}

with shipments as (
    select * from {{ ref('tbl_stg_shipments') }}
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

service_levels as (
    select * from {{ ref('enum_service_level') }}
),

{% if is_incremental() %}
stored as (
    select
        shipment_id,
        customer_sk,
        vehicle_sk,
        route_sk,
        origin_location_sk
    from {{ this }}
),

new_or_missing_shipments as (
    select shipments.shipment_id
    from shipments
    left join stored
        on shipments.shipment_id = stored.shipment_id
    where {{ after_high_water_mark('shipments.synced_at') }}
       or stored.shipment_id is null
),

stored_versions as (
    select
        shipments.shipment_id,
        shipments.customer_id,
        shipments.vehicle_id,
        shipments.route_id,
        shipments.created_at,
        shipments.planned_pickup_at,
        stored.customer_sk,
        stored.vehicle_sk,
        stored.route_sk,
        stored.origin_location_sk
    from shipments
    inner join stored
        on shipments.shipment_id = stored.shipment_id
),

stale_stored_keys as (
    select stored_versions.shipment_id
    from stored_versions
    left join customers
        on stored_versions.customer_sk = customers.customer_sk
        and stored_versions.customer_id = customers.customer_id
        and stored_versions.planned_pickup_at >= customers.valid_from_at
        and stored_versions.planned_pickup_at < customers.valid_to_at
    left join vehicles
        on stored_versions.vehicle_sk = vehicles.vehicle_sk
        and stored_versions.vehicle_id = vehicles.vehicle_id
        and stored_versions.planned_pickup_at >= vehicles.valid_from_at
        and stored_versions.planned_pickup_at < vehicles.valid_to_at
    left join routes
        on stored_versions.route_sk = routes.route_sk
        and stored_versions.route_id = routes.route_id
        and stored_versions.planned_pickup_at >= routes.valid_from_at
        and stored_versions.planned_pickup_at < routes.valid_to_at
    left join locations
        on stored_versions.origin_location_sk = locations.location_sk
        and routes.origin_location_id = locations.location_id
        and stored_versions.planned_pickup_at >= locations.valid_from_at
        and stored_versions.planned_pickup_at < locations.valid_to_at
    where (stored_versions.customer_sk <> {{ unknown_key() }} and customers.customer_sk is null)
       or (stored_versions.vehicle_sk <> {{ unknown_key() }} and vehicles.vehicle_sk is null)
       or (stored_versions.route_sk <> {{ unknown_key() }} and routes.route_sk is null)
       or (
           routes.route_sk is not null
           and stored_versions.origin_location_sk <> {{ unknown_key() }}
           and locations.location_sk is null
       )
),

resolved_unknown_keys as (
    select stored_versions.shipment_id
    from stored_versions
    inner join customers
        on stored_versions.customer_id = customers.customer_id
        and stored_versions.planned_pickup_at >= customers.valid_from_at
        and stored_versions.planned_pickup_at < customers.valid_to_at
    where stored_versions.customer_sk = {{ unknown_key() }}
      and customers.customer_sk <> {{ unknown_key() }}
    union
    select stored_versions.shipment_id
    from stored_versions
    inner join vehicles
        on stored_versions.vehicle_id = vehicles.vehicle_id
        and stored_versions.planned_pickup_at >= vehicles.valid_from_at
        and stored_versions.planned_pickup_at < vehicles.valid_to_at
    where stored_versions.vehicle_sk = {{ unknown_key() }}
      and vehicles.vehicle_sk <> {{ unknown_key() }}
    union
    select stored_versions.shipment_id
    from stored_versions
    inner join routes
        on stored_versions.route_id = routes.route_id
        and stored_versions.planned_pickup_at >= routes.valid_from_at
        and stored_versions.planned_pickup_at < routes.valid_to_at
    where stored_versions.route_sk = {{ unknown_key() }}
      and routes.route_sk <> {{ unknown_key() }}
    union
    select stored_versions.shipment_id
    from stored_versions
    inner join routes
        on stored_versions.route_sk = routes.route_sk
        and stored_versions.route_id = routes.route_id
        and stored_versions.planned_pickup_at >= routes.valid_from_at
        and stored_versions.planned_pickup_at < routes.valid_to_at
    inner join locations
        on routes.origin_location_id = locations.location_id
        and stored_versions.planned_pickup_at >= locations.valid_from_at
        and stored_versions.planned_pickup_at < locations.valid_to_at
    where stored_versions.origin_location_sk = {{ unknown_key() }}
      and locations.location_sk <> {{ unknown_key() }}
),

candidate_ids as (
    select new_or_missing_shipments.shipment_id from new_or_missing_shipments
    union
    select stale_stored_keys.shipment_id from stale_stored_keys
    union
    select resolved_unknown_keys.shipment_id from resolved_unknown_keys
),

candidates as (
    select shipments.*
    from shipments
    where shipments.shipment_id in (select candidate_ids.shipment_id from candidate_ids)
),
{% else %}
candidates as (
    select * from shipments
),
{% endif %}

deduplicated as (
    select *
    from candidates
    qualify row_number() over (
        partition by shipment_id
        order by
            synced_at desc,
            updated_at desc,
            delivered_at desc nulls last,
            picked_up_at desc nulls last,
            shipment_status desc
    ) = 1
),

as_of_versions as (
    select
        deduplicated.*,
        customers.customer_sk,
        customers.customer_type,
        customers.account_manager,
        customers.sales_region,
        vehicles.vehicle_sk,
        vehicles.vehicle_type,
        vehicles.fuel_type,
        vehicles.energy_unit,
        vehicles.co2_kg_per_unit,
        vehicles.consumption_per_100km,
        vehicles.capacity_kg,
        vehicles.capacity_m3,
        vehicles.home_location_id as vehicle_home_location_id,
        routes.route_sk,
        routes.origin_location_id,
        routes.destination_location_id,
        routes.distance_km,
        routes.planned_duration_min,
        routes.haul_type,
        locations.location_sk as origin_location_sk,
        locations.country_code as origin_country_code,
        locations.time_zone as origin_time_zone,
        service_levels.on_time_grace_min
    from deduplicated
    left join customers
        on deduplicated.customer_id = customers.customer_id
        and deduplicated.planned_pickup_at >= customers.valid_from_at
        and deduplicated.planned_pickup_at < customers.valid_to_at
    left join vehicles
        on deduplicated.vehicle_id = vehicles.vehicle_id
        and deduplicated.planned_pickup_at >= vehicles.valid_from_at
        and deduplicated.planned_pickup_at < vehicles.valid_to_at
    left join routes
        on deduplicated.route_id = routes.route_id
        and deduplicated.planned_pickup_at >= routes.valid_from_at
        and deduplicated.planned_pickup_at < routes.valid_to_at
    left join locations
        on routes.origin_location_id = locations.location_id
        and deduplicated.planned_pickup_at >= locations.valid_from_at
        and deduplicated.planned_pickup_at < locations.valid_to_at
    left join service_levels
        on deduplicated.service_level = service_levels.service_level
),

keyed as (
    select
        as_of_versions.*,
        coalesce(as_of_versions.customer_sk, {{ unknown_key() }}) as customer_key,
        coalesce(as_of_versions.vehicle_sk, {{ unknown_key() }}) as vehicle_key,
        coalesce(as_of_versions.route_sk, {{ unknown_key() }}) as route_key,
        coalesce(as_of_versions.origin_location_sk, {{ unknown_key() }}) as origin_location_key
    from as_of_versions
),

batch as (
    select keyed.*
    from keyed
),

recognised as (
    select
        batch.*,
        {{ recognised_usd('batch.revenue_usd', 'batch.shipment_status') }} as recognised_revenue_usd,
        {{ recognised_usd('batch.fuel_cost_usd', 'batch.shipment_status') }} as recognised_fuel_cost_usd,
        {{ recognised_usd('batch.driver_cost_usd', 'batch.shipment_status') }} as recognised_driver_cost_usd,
        {{ recognised_usd('batch.toll_cost_usd', 'batch.shipment_status') }} as recognised_toll_cost_usd
    from batch
),

measured as (
    select
        recognised.*,
        {{ total_cost_usd('recognised.recognised_fuel_cost_usd', 'recognised.recognised_driver_cost_usd', 'recognised.recognised_toll_cost_usd') }} as total_cost_usd,
        case
            when recognised.picked_up_at is not null
                then {{ energy_used('recognised.distance_km', 'recognised.consumption_per_100km') }}
        end as energy_used
    from recognised
),

final as (
    select
        -- keys
        cast(measured.shipment_id as bigint) as shipment_id,
        cast(measured.customer_id as bigint) as customer_id,
        cast(measured.customer_key as {{ dbt.type_string() }}) as customer_sk,
        cast(measured.vehicle_id as bigint) as vehicle_id,
        cast(measured.vehicle_key as {{ dbt.type_string() }}) as vehicle_sk,
        cast(measured.route_id as bigint) as route_id,
        cast(measured.route_key as {{ dbt.type_string() }}) as route_sk,
        cast(measured.origin_location_id as bigint) as origin_location_id,
        cast(measured.origin_location_key as {{ dbt.type_string() }}) as origin_location_sk,
        cast(measured.destination_location_id as bigint) as destination_location_id,
        cast({{ date_key(local_date('measured.planned_pickup_at', "coalesce(measured.origin_time_zone, 'UTC')"), 'measured.origin_country_code') }} as {{ dbt.type_string() }}) as planned_pickup_date_sk,
        cast({{ date_key(local_date('measured.delivered_at', "coalesce(measured.origin_time_zone, 'UTC')"), 'measured.origin_country_code') }} as {{ dbt.type_string() }}) as delivered_date_sk,
        -- attributes (as of the event)
        cast(measured.shipment_status as {{ dbt.type_string() }}) as shipment_status,
        cast(measured.priority as {{ dbt.type_string() }}) as priority,
        cast(measured.service_level as {{ dbt.type_string() }}) as service_level,
        cast(measured.customer_type as {{ dbt.type_string() }}) as customer_type,
        cast(measured.account_manager as {{ dbt.type_string() }}) as account_manager,
        cast(measured.sales_region as {{ dbt.type_string() }}) as sales_region,
        cast(measured.vehicle_type as {{ dbt.type_string() }}) as vehicle_type,
        cast(measured.fuel_type as {{ dbt.type_string() }}) as fuel_type,
        cast(measured.vehicle_home_location_id as bigint) as vehicle_home_location_id,
        cast(measured.origin_country_code as {{ dbt.type_string() }}) as origin_country_code,
        cast(measured.haul_type as {{ dbt.type_string() }}) as haul_type,
        -- measures
        cast(measured.distance_km as double) as distance_km,
        cast(measured.weight_kg as double) as weight_kg,
        cast(measured.volume_m3 as double) as volume_m3,
        cast({{ load_factor('measured.weight_kg', 'measured.capacity_kg') }} as double) as weight_load_factor,
        cast({{ load_factor('measured.volume_m3', 'measured.capacity_m3') }} as double) as volume_load_factor,
        cast(measured.revenue_usd as decimal(14, 2)) as quoted_revenue_usd,
        cast(measured.recognised_revenue_usd as decimal(14, 2)) as revenue_usd,
        cast(measured.recognised_fuel_cost_usd as decimal(14, 2)) as fuel_cost_usd,
        cast(measured.recognised_driver_cost_usd as decimal(14, 2)) as driver_cost_usd,
        cast(measured.recognised_toll_cost_usd as decimal(14, 2)) as toll_cost_usd,
        cast(measured.total_cost_usd as decimal(14, 2)) as total_cost_usd,
        cast({{ profit_usd('measured.recognised_revenue_usd', 'measured.total_cost_usd') }} as decimal(14, 2)) as profit_usd,
        cast({{ margin_pct(profit_usd('measured.recognised_revenue_usd', 'measured.total_cost_usd'), 'measured.recognised_revenue_usd') }} as double) as margin_pct,
        cast({{ cost_per_km_usd('measured.total_cost_usd', 'measured.distance_km') }} as double) as cost_per_km_usd,
        cast(case when measured.energy_unit = 'L' then measured.energy_used end as double) as modelled_fuel_l,
        cast(case when measured.energy_unit = 'KWH' then measured.energy_used end as double) as modelled_energy_kwh,
        cast({{ co2_kg('measured.energy_used', 'measured.co2_kg_per_unit') }} as double) as co2_kg,
        -- times
        cast(measured.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(measured.planned_pickup_at as {{ dbt.type_timestamp() }}) as planned_pickup_at,
        cast(measured.picked_up_at as {{ dbt.type_timestamp() }}) as picked_up_at,
        cast(measured.promised_delivery_at as {{ dbt.type_timestamp() }}) as promised_delivery_at,
        cast(measured.delivered_at as {{ dbt.type_timestamp() }}) as delivered_at,
        cast(measured.updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(measured.planned_pickup_at as date) as planned_pickup_date,
        cast(measured.delivered_at as date) as delivered_date,
        cast(measured.planned_duration_min as integer) as planned_duration_min,
        cast({{ minutes_between('measured.planned_pickup_at', 'measured.picked_up_at') }} as double) as pickup_delay_min,
        cast({{ minutes_between('measured.picked_up_at', 'measured.delivered_at') }} as double) as transit_time_min,
        cast({{ delay_min('measured.delivered_at', 'measured.promised_delivery_at') }} as double) as delay_min,
        cast(measured.on_time_grace_min as integer) as on_time_grace_min,
        -- flags
        cast(measured.shipment_status = 'DELIVERED' as boolean) as is_delivered,
        cast(measured.shipment_status = 'CANCELLED' as boolean) as is_cancelled,
        cast(measured.created_at > coalesce(measured.picked_up_at, measured.planned_pickup_at) as boolean) as is_recorded_after_pickup,
        cast({{ is_on_time('measured.delivered_at', 'measured.promised_delivery_at', 'measured.on_time_grace_min') }} as boolean) as is_on_time,
        cast(measured.is_deleted as boolean) as is_deleted,
        -- change detection
        cast(measured.synced_at as {{ dbt.type_timestamp() }}) as synced_at,
        -- run audit
        {{ run_columns() }}
    from measured
)

select * from final
