{#
    Recommendations, each with the rule (or model) behind it, its threshold and the evidence that
    triggered it; one row per recommendation:
    - service_vehicle, rule: km since the last completed service (the latest telematics odometer
      minus the odometer at that service) reached var rec_service_due_share of the vehicle's
      maintenance interval;
    - service_vehicle, model: the production breakdown model's latest score of the vehicle reached var
      rec_breakdown_risk_min (tbl_ml_predictions; none until a model is promoted and scored);
    - replan_route, rule: over the 28 calendar days to the as-of date, at least var
      rec_route_min_deliveries delivered and an on-time rate below var rec_route_on_time_min_pct;
    - retain_customer, rule: a customer with at least var rec_churn_min_prior_shipments shipments
      in the 90 days before the last 30 whose last-30-day count fell below var rec_churn_drop_share of
      its prior monthly rate.
    priority_rank orders each type's recommendations by how far past its threshold they are.
#}
with as_of as (
    select cast({{ as_of_timestamp() }} as date) as as_of_date
),

vehicles as (
    select * from {{ ref('tbl_dim_vehicle') }}
    where is_current and not is_deleted
),

maintenance as (
    select * from {{ ref('tbl_dim_vehicle_maintenance') }}
    where maintenance_status = 'COMPLETED' and not is_deleted
),

route_days as (
    select * from {{ ref('tbl_fact_route_performance') }}
),

shipments as (
    select * from {{ ref('tbl_fact_shipments') }}
    where not is_deleted
),

predictions as (
    select * from {{ ref('tbl_ml_predictions') }}
),

registry as (
    select * from {{ ref('tbl_ml_model_registry') }}
    where is_production
),

telemetry_odometers as (
    select
        vehicle_id,
        max(odometer_km) as odometer_km
    from {{ ref('tbl_fact_vehicle_telemetry') }}
    where not is_deleted
    group by vehicle_id
),

last_service as (
    select
        vehicle_id,
        max(odometer_km) as last_service_odometer_km
    from maintenance
    group by vehicle_id
),

service_due as (
    select
        vehicles.vehicle_id,
        telemetry_odometers.odometer_km - coalesce(last_service.last_service_odometer_km, 0) as km_since_service,
        vehicles.maintenance_interval_km
    from vehicles
    inner join telemetry_odometers
        on vehicles.vehicle_id = telemetry_odometers.vehicle_id
    left join last_service
        on vehicles.vehicle_id = last_service.vehicle_id
    where vehicles.maintenance_interval_km > 0
),

rule_service as (
    select
        'service_vehicle' as recommendation_type,
        'vehicle' as entity_type,
        cast(vehicle_id as {{ dbt.type_string() }}) as entity_id,
        'rule' as basis,
        'km since the last completed service / maintenance interval' as rule_name,
        cast({{ var('rec_service_due_share') }} as double) as threshold_value,
        {{ safe_divide('km_since_service', 'maintenance_interval_km') }} as evidence_value,
        'km_since_service' as detail_name,
        cast(km_since_service as double) as detail_value
    from service_due
    where {{ safe_divide('km_since_service', 'maintenance_interval_km') }} >= {{ var('rec_service_due_share') }}
),

latest_vehicle_scores as (
    select
        predictions.model_name,
        predictions.model_version,
        predictions.entity_id,
        predictions.score,
        row_number() over (
            partition by predictions.model_name, predictions.entity_id
            order by predictions.scoring_batch desc, predictions.feature_at desc
        ) as recency_rank
    from predictions
    inner join registry
        on predictions.model_name = registry.model_name
        and predictions.model_version = registry.model_version
    where predictions.entity_type = 'vehicle'
),

model_service as (
    select
        'service_vehicle' as recommendation_type,
        'vehicle' as entity_type,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        'model' as basis,
        {{ dbt.concat(["'breakdown risk score of '", 'model_name', "' v'", 'cast(model_version as ' ~ dbt.type_string() ~ ')']) }} as rule_name,
        cast({{ var('rec_breakdown_risk_min') }} as double) as threshold_value,
        cast(score as double) as evidence_value,
        'model_version' as detail_name,
        cast(model_version as double) as detail_value
    from latest_vehicle_scores
    where recency_rank = 1
      and score >= {{ var('rec_breakdown_risk_min') }}
),

route_window as (
    select
        route_days.route_id,
        sum(route_days.delivered_count) as delivered_count,
        sum(route_days.on_time_count) as on_time_count
    from route_days
    cross join as_of
    where route_days.performance_date > cast({{ dbt.dateadd('day', -28, 'as_of.as_of_date') }} as date)
      and route_days.performance_date <= as_of.as_of_date
    group by route_days.route_id
),

rule_routes as (
    select
        'replan_route' as recommendation_type,
        'route' as entity_type,
        cast(route_id as {{ dbt.type_string() }}) as entity_id,
        'rule' as basis,
        'on-time % of deliveries over the last 28 days' as rule_name,
        cast({{ var('rec_route_on_time_min_pct') }} as double) as threshold_value,
        100 * {{ safe_divide('on_time_count', 'delivered_count') }} as evidence_value,
        'delivered_count' as detail_name,
        cast(delivered_count as double) as detail_value
    from route_window
    where delivered_count >= {{ var('rec_route_min_deliveries') }}
      and 100 * {{ safe_divide('on_time_count', 'delivered_count') }} < {{ var('rec_route_on_time_min_pct') }}
),

customer_windows as (
    select
        shipments.customer_id,
        sum(case when cast(shipments.created_at as date) > cast({{ dbt.dateadd('day', -30, 'as_of.as_of_date') }} as date)
                 then 1 else 0 end) as last_30d_shipments,
        sum(case when cast(shipments.created_at as date) <= cast({{ dbt.dateadd('day', -30, 'as_of.as_of_date') }} as date)
                 then 1 else 0 end) as prior_90d_shipments
    from shipments
    cross join as_of
    where cast(shipments.created_at as date) > cast({{ dbt.dateadd('day', -120, 'as_of.as_of_date') }} as date)
      and cast(shipments.created_at as date) <= as_of.as_of_date
    group by shipments.customer_id
),

rule_customers as (
    select
        'retain_customer' as recommendation_type,
        'customer' as entity_type,
        cast(customer_id as {{ dbt.type_string() }}) as entity_id,
        'rule' as basis,
        'last 30 days shipments / prior monthly rate (90 days before)' as rule_name,
        cast({{ var('rec_churn_drop_share') }} as double) as threshold_value,
        {{ safe_divide('last_30d_shipments', 'prior_90d_shipments / 3.0') }} as evidence_value,
        'prior_90d_shipments' as detail_name,
        cast(prior_90d_shipments as double) as detail_value
    from customer_windows
    where prior_90d_shipments >= {{ var('rec_churn_min_prior_shipments') }}
      and {{ safe_divide('last_30d_shipments', 'prior_90d_shipments / 3.0') }} < {{ var('rec_churn_drop_share') }}
),

recommendations as (
    select * from rule_service
    union all
    select * from model_service
    union all
    select * from rule_routes
    union all
    select * from rule_customers
),

final as (
    select
        {{ dbt.hash(dbt.concat(['recommendation_type', "'|'", 'basis', "'|'", 'entity_id'])) }} as recommendation_id,
        recommendation_type,
        entity_type,
        entity_id,
        basis,
        rule_name,
        threshold_value,
        evidence_value,
        detail_name,
        detail_value,
        row_number() over (
            partition by recommendation_type
            order by abs(evidence_value - threshold_value) desc, entity_id
        ) as priority_rank
    from recommendations
)

select * from final
