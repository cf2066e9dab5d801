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

shipment_labels as (
    select
        shipment_id,
        case
            when label_status = 'known' then 'known'
            when label_status in ('cancelled', 'deleted') then 'void'
        end as label_state,
        case when label_status = 'known' then
            case when label_is_late then 1 else 0 end
        end as label_value
    from late_delivery_labels
),

vehicle_day_labels as (
    select
        vehicle_id,
        feature_date,
        case when label_status = 'known' then 'known' end as label_state,
        case when label_status = 'known' then
            case when label_breakdown_within_14d then 1 else 0 end
        end as label_value
    from breakdown_labels
),

final as (
    select
        predictions.model_name,
        predictions.model_version,
        predictions.entity_type,
        predictions.entity_id,
        predictions.feature_date,
        cast({{ dbt.date_trunc('week', 'predictions.feature_date') }} as date) as week_start_date,
        predictions.score,
        coalesce(shipment_labels.label_state, vehicle_day_labels.label_state, 'pending') as label_state,
        coalesce(shipment_labels.label_value, vehicle_day_labels.label_value) as label_value
    from predictions
    left join shipment_labels
        on predictions.entity_type = 'shipment'
        and predictions.entity_id = shipment_labels.shipment_id
    left join vehicle_day_labels
        on predictions.entity_type = 'vehicle'
        and predictions.entity_id = vehicle_day_labels.vehicle_id
        and predictions.feature_date = vehicle_day_labels.feature_date
    where predictions.entity_type in ('shipment', 'vehicle')
)

select * from final
