{#
    A delivery is on time when it arrives no later than the promised time plus the service level's
    grace (seed enum_service_level.on_time_grace_min): exactly promised + grace is still on time, one
    minute later is late. Null while the shipment is not delivered.
#}
{% macro is_on_time(delivered_at, promised_delivery_at, grace_min) -%}
    case
        when {{ delivered_at }} is null or {{ promised_delivery_at }} is null then null
        when {{ delivered_at }} <= {{ dbt.dateadd('minute', 'coalesce(' ~ grace_min ~ ', 0)', promised_delivery_at) }} then true
        else false
    end
{%- endmacro %}
