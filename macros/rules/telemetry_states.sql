{#
    Driving states of a telematics ping, used to split a vehicle's time:
    - is_moving: speed above 0 km/h;
    - is_idling: standing (speed 0) with the engine running (rpm above 0);
    - counted_interval_min: the minutes from a ping to the vehicle's next ping on the same day that
      count towards the state of the earlier ping. Pings come every ~40 minutes on the road, so a gap
      longer than max_gap_min (90) means the device slept with the vehicle parked: such a gap counts
      towards neither moving nor idle time (null).
#}
{% macro is_moving(speed_kmh) -%}
    ({{ speed_kmh }} > 0)
{%- endmacro %}

{% macro is_idling(speed_kmh, engine_rpm) -%}
    ({{ speed_kmh }} = 0 and {{ engine_rpm }} > 0)
{%- endmacro %}

{% macro counted_interval_min(gap_min, max_gap_min=90) -%}
    case when {{ gap_min }} <= {{ max_gap_min }} then {{ gap_min }} end
{%- endmacro %}
