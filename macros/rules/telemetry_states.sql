{#
    Driving states, used to split a vehicle's time between its consecutive pings:
    - is_moving: a ping's speed is above 0 km/h;
    - is_idling: a ping stands (speed 0) with the engine running (rpm above 0);
    - interval_state: the state of the interval from one ping to the vehicle's next ping. The
      odometer decides: an interval over which it advanced was driven ('MOVING', whatever its
      length: devices ping sparsely on long legs); one over which it stood still is 'IDLE' when the
      earlier ping idles and the gap is at most var('telemetry_max_idle_gap_min') minutes (a
      business rule declared in dbt_project.yml with the other thresholds), else parked (null:
      counted nowhere).
      The device reports ignition off at delivery, so the rest between trips has no distance.
#}
{% macro is_moving(speed_kmh) -%}
    ({{ speed_kmh }} > 0)
{%- endmacro %}

{% macro is_idling(speed_kmh, engine_rpm) -%}
    ({{ speed_kmh }} = 0 and {{ engine_rpm }} > 0)
{%- endmacro %}

{% macro interval_state(odometer_delta_km, gap_min, speed_kmh, engine_rpm) -%}
    case
        when {{ odometer_delta_km }} > 0 then 'MOVING'
        when {{ is_idling(speed_kmh, engine_rpm) }} and {{ gap_min }} <= {{ var('telemetry_max_idle_gap_min') }} then 'IDLE'
    end
{%- endmacro %}
