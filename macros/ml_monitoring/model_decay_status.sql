{#
    A model's performance status from its live metrics beside its registered ones: insufficient_data
    below var model_decay_min_rows labelled rows or var model_decay_min_positives positives or
    negatives (an AUC on twenty positives is noise), decayed when its
    ROC AUC fell var model_decay_roc_auc_drop below the registered one or its log loss rose
    var model_decay_log_loss_increase_pct percent above it, else healthy.
#}
{% macro model_decay_status(labelled_rows, positives, roc_auc, roc_auc_drop, log_loss_increase_pct) -%}
    case
        when {{ labelled_rows }} < {{ var('model_decay_min_rows') }}
            or {{ positives }} < {{ var('model_decay_min_positives') }}
            or {{ labelled_rows }} - {{ positives }} < {{ var('model_decay_min_positives') }}
            or {{ roc_auc }} is null then 'insufficient_data'
        when {{ roc_auc_drop }} >= {{ var('model_decay_roc_auc_drop') }}
            or {{ log_loss_increase_pct }} >= {{ var('model_decay_log_loss_increase_pct') }} then 'decayed'
        else 'healthy'
    end
{%- endmacro %}
