{#
    One row per batch prediction (tbl_ml_predictions) with the state of its label: known (with the
    outcome as 0/1), pending (not matured yet: the shipment is not delivered, the 14-day horizon is
    still open, or no label row yet) or void (the shipment was cancelled or deleted: it never gets a
    label). A shipment prediction takes the late-delivery label of its shipment; a vehicle-day
    prediction the breakdown label of the same vehicle and feature date.
#}
with predictions as (
    select * from {{ ref('tbl_ml_predictions') }}
),

late_delivery_labels as (
    select * from {{ ref('tbl_ml_label_late_delivery') }}
),

breakdown_labels as (
    select * from {{ ref('tbl_ml_label_breakdown') }}
),

shipment_outcomes as (
    select
        predictions.model_name,
        predictions.model_version,
        predictions.entity_type,
        predictions.entity_id,
        predictions.feature_date,
        predictions.score,
        case
            when late_delivery_labels.label_status = 'known' then 'known'
            when late_delivery_labels.label_status in ('cancelled', 'deleted') then 'void'
            else 'pending'
        end as label_state,
        case when late_delivery_labels.label_status = 'known' then
            case when late_delivery_labels.label_is_late then 1 else 0 end
        end as label_value
    from predictions
    left join late_delivery_labels
        on predictions.entity_id = late_delivery_labels.shipment_id
    where predictions.entity_type = 'shipment'
),

vehicle_day_outcomes as (
    select
        predictions.model_name,
        predictions.model_version,
        predictions.entity_type,
        predictions.entity_id,
        predictions.feature_date,
        predictions.score,
        case when breakdown_labels.label_status = 'known' then 'known' else 'pending' end as label_state,
        case when breakdown_labels.label_status = 'known' then
            case when breakdown_labels.label_breakdown_within_14d then 1 else 0 end
        end as label_value
    from predictions
    left join breakdown_labels
        on predictions.entity_id = breakdown_labels.vehicle_id
        and predictions.feature_date = breakdown_labels.feature_date
    where predictions.entity_type = 'vehicle'
),

outcomes as (
    select * from shipment_outcomes
    union all
    select * from vehicle_day_outcomes
),

final as (
    select
        model_name,
        model_version,
        entity_type,
        entity_id,
        feature_date,
        cast({{ dbt.date_trunc('week', 'feature_date') }} as date) as week_start_date,
        score,
        label_state,
        label_value
    from outcomes
)

select * from final
