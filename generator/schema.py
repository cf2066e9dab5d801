"""The landing contract: every table the generator lands, its columns, keys and sync mode.

This module is the single source of truth for what Fivetran would land in production. The generator
writes exactly these columns (in this order) and the dbt sources declare exactly these columns. Units
are SI and appear in the column names; timestamps are UTC ``TIMESTAMP`` (no time zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SyncMode = Literal["upsert", "append"]

FIVETRAN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("_fivetran_synced", "TIMESTAMP", "UTC time Fivetran loaded the row, on the simulation's clock"),
    ("_fivetran_deleted", "BOOLEAN", "True when the row was deleted at the source (soft delete)"),
)


@dataclass(frozen=True)
class Column:
    """One landed column: its name, DuckDB type and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class LandingTable:
    """One landing table of a Fivetran connector."""

    name: str
    connector: str
    key: tuple[str, ...]
    sync_mode: SyncMode
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Business columns followed by Fivetran's system columns."""
        return self.columns + tuple(Column(*c) for c in FIVETRAN_COLUMNS)

    def ddl(self, schema: str) -> str:
        """The ``CREATE TABLE`` statement for this table in ``schema``."""
        cols = ",\n    ".join(f"{c.name} {c.type}" for c in self.all_columns)
        return f"create table if not exists {schema}.{self.name} (\n    {cols}\n)"


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


# Connector identifiers; the DuckDB schema each lands in is configurable (see DEFAULT_SCHEMAS).
AZURE_SQL = "azure_sql"
TELEMATICS = "telematics"
WEATHER_API = "weather_api"
TRAFFIC_API = "traffic_api"

DEFAULT_SCHEMAS: dict[str, str] = {
    AZURE_SQL: "landing_azure_sql",
    TELEMATICS: "landing_telematics",
    WEATHER_API: "landing_weather",
    TRAFFIC_API: "landing_traffic",
}

CUSTOMERS = LandingTable(
    "customers", AZURE_SQL, ("customer_id",), "upsert",
    "Customer accounts from the operational database; one row per customer.",
    _cols(
        ("customer_id", "BIGINT", "Primary key"),
        ("name", "VARCHAR", "Company name"),
        ("customer_type", "VARCHAR", "Account type (seed enum_customer_type)"),
        ("industry", "VARCHAR", "Industry (seed enum_industry)"),
        ("email", "VARCHAR", "Billing e-mail (PII)"),
        ("phone", "VARCHAR", "Phone number (PII)"),
        ("city", "VARCHAR", "City of the head office"),
        ("country", "VARCHAR", "ISO 3166-1 alpha-2 country code"),
        ("account_manager", "VARCHAR", "Account manager (seed account_managers)"),
        ("credit_limit_usd", "DECIMAL(14,2)", "Credit limit in US dollars"),
        ("payment_terms_days", "INTEGER", "Payment terms in days"),
        ("created_at", "TIMESTAMP", "When the account was created"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

LOCATIONS = LandingTable(
    "locations", AZURE_SQL, ("location_id",), "upsert",
    "Depots, hubs and customer sites; one row per location.",
    _cols(
        ("location_id", "BIGINT", "Primary key"),
        ("name", "VARCHAR", "Site name"),
        ("location_type", "VARCHAR", "DEPOT, HUB or CUSTOMER_SITE (seed enum_location_type)"),
        ("city", "VARCHAR", "City"),
        ("region", "VARCHAR", "Operating region, e.g. US-WEST"),
        ("country", "VARCHAR", "ISO 3166-1 alpha-2 country code"),
        ("latitude", "DOUBLE", "Latitude in decimal degrees (WGS 84)"),
        ("longitude", "DOUBLE", "Longitude in decimal degrees (WGS 84)"),
        ("created_at", "TIMESTAMP", "When the location was created"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

ROUTES = LandingTable(
    "routes", AZURE_SQL, ("route_id",), "upsert",
    "Lanes between two locations; one row per route.",
    _cols(
        ("route_id", "BIGINT", "Primary key"),
        ("origin_location_id", "BIGINT", "Origin location (locations.location_id)"),
        ("destination_location_id", "BIGINT", "Destination location (locations.location_id)"),
        ("distance_km", "DOUBLE", "Road distance in km (great-circle distance times a road factor)"),
        ("planned_duration_min", "INTEGER", "Planned driving time in minutes"),
        ("created_at", "TIMESTAMP", "When the route was created"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

VEHICLES = LandingTable(
    "vehicles", AZURE_SQL, ("vehicle_id",), "upsert",
    "The fleet; one row per vehicle.",
    _cols(
        ("vehicle_id", "BIGINT", "Primary key"),
        ("registration_number", "VARCHAR", "Licence plate"),
        ("vehicle_type", "VARCHAR", "Body type (seed enum_vehicle_type)"),
        ("make", "VARCHAR", "Manufacturer"),
        ("model", "VARCHAR", "Model name"),
        ("model_year", "INTEGER", "Model year"),
        ("fuel_type", "VARCHAR", "DIESEL, PETROL, LPG or ELECTRIC (seed enum_fuel_type)"),
        ("capacity_kg", "DOUBLE", "Payload capacity in kg"),
        ("capacity_m3", "DOUBLE", "Cargo volume in cubic metres"),
        ("fuel_l_per_100km", "DOUBLE", "Rated consumption in litres per 100 km; null for ELECTRIC"),
        ("kwh_per_100km", "DOUBLE", "Rated consumption in kWh per 100 km; null unless ELECTRIC"),
        ("maintenance_interval_km", "INTEGER", "Service interval in km"),
        ("odometer_km", "DOUBLE", "Odometer at the last workshop reading, in km"),
        ("status", "VARCHAR", "Fleet status (seed enum_vehicle_status)"),
        ("home_location_id", "BIGINT", "Home depot (locations.location_id)"),
        ("purchase_date", "DATE", "Purchase date"),
        ("purchase_price_usd", "DECIMAL(14,2)", "Purchase price in US dollars"),
        ("created_at", "TIMESTAMP", "When the vehicle was registered in the system"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

SHIPMENTS = LandingTable(
    "shipments", AZURE_SQL, ("shipment_id",), "upsert",
    "Shipments (one trip of one vehicle on one route); one row per shipment, updated as its status moves.",
    _cols(
        ("shipment_id", "BIGINT", "Primary key"),
        ("customer_id", "BIGINT", "Customer (customers.customer_id)"),
        ("route_id", "BIGINT", "Route (routes.route_id)"),
        ("vehicle_id", "BIGINT", "Vehicle (vehicles.vehicle_id)"),
        ("status", "VARCHAR", "Status (seed enum_shipment_status)"),
        ("priority", "VARCHAR", "Priority (seed enum_shipment_priority)"),
        ("service_level", "VARCHAR", "Service level (seed enum_service_level)"),
        ("weight_kg", "DOUBLE", "Gross weight in kg"),
        ("volume_m3", "DOUBLE", "Volume in cubic metres"),
        ("revenue_usd", "DECIMAL(14,2)", "Invoiced revenue in US dollars"),
        ("fuel_cost_usd", "DECIMAL(14,2)", "Fuel or energy cost in US dollars"),
        ("driver_cost_usd", "DECIMAL(14,2)", "Driver cost in US dollars"),
        ("toll_cost_usd", "DECIMAL(14,2)", "Tolls in US dollars"),
        ("planned_pickup_at", "TIMESTAMP", "Planned pickup time"),
        ("picked_up_at", "TIMESTAMP", "Actual pickup time; null before pickup"),
        ("promised_delivery_at", "TIMESTAMP", "Delivery time promised to the customer"),
        ("delivered_at", "TIMESTAMP", "Actual delivery time; null until delivered"),
        ("created_at", "TIMESTAMP", "When the order was recorded in the system"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

MAINTENANCE = LandingTable(
    "maintenance", AZURE_SQL, ("maintenance_id",), "upsert",
    "Workshop and roadside maintenance events; one row per event.",
    _cols(
        ("maintenance_id", "BIGINT", "Primary key"),
        ("vehicle_id", "BIGINT", "Vehicle (vehicles.vehicle_id)"),
        ("maintenance_type", "VARCHAR", "Type (seed enum_maintenance_type); BREAKDOWN is unplanned"),
        ("status", "VARCHAR", "Status (seed enum_maintenance_status)"),
        ("performed_at", "TIMESTAMP", "When the work started"),
        ("odometer_km", "DOUBLE", "Odometer at the event, in km"),
        ("parts_cost_usd", "DECIMAL(14,2)", "Parts cost in US dollars"),
        ("labor_cost_usd", "DECIMAL(14,2)", "Labour cost in US dollars"),
        ("downtime_hours", "DOUBLE", "Hours the vehicle was out of service"),
        ("provider", "VARCHAR", "Workshop or roadside service provider"),
        ("created_at", "TIMESTAMP", "When the event was recorded in the system"),
        ("updated_at", "TIMESTAMP", "When the row last changed at the source"),
    ),
)

TELEMATICS_EVENTS = LandingTable(
    "telematics", TELEMATICS, ("telemetry_id",), "append",
    "Telematics pings from the webhook; append-only, one row per delivery (an event may arrive twice).",
    _cols(
        ("telemetry_id", "BIGINT", "Event id assigned by the device; unique per event"),
        ("vehicle_id", "BIGINT", "Vehicle (vehicles.vehicle_id)"),
        ("shipment_id", "BIGINT", "Shipment being carried; null when the vehicle is not on a trip"),
        ("recorded_at", "TIMESTAMP", "When the device recorded the reading"),
        ("latitude", "DOUBLE", "Latitude in decimal degrees"),
        ("longitude", "DOUBLE", "Longitude in decimal degrees"),
        ("speed_kmh", "DOUBLE", "Speed in km/h"),
        ("engine_rpm", "DOUBLE", "Engine speed in revolutions per minute"),
        ("engine_temp_c", "DOUBLE", "Engine coolant temperature in degrees Celsius"),
        ("fuel_level_pct", "DOUBLE", "Fuel level (or battery charge for ELECTRIC) in percent"),
        ("odometer_km", "DOUBLE", "Odometer in km"),
        ("battery_voltage", "DOUBLE", "12/24 V system battery voltage, in volts"),
        ("harsh_braking", "BOOLEAN", "Deceleration above the harsh threshold since the last ping"),
        ("harsh_acceleration", "BOOLEAN", "Acceleration above the harsh threshold since the last ping"),
    ),
)

WEATHER = LandingTable(
    "weather", WEATHER_API, ("location_id", "observed_at"), "upsert",
    "Hourly weather per location from the weather API; a later fetch may revise recent hours.",
    _cols(
        ("location_id", "BIGINT", "Location (locations.location_id)"),
        ("observed_at", "TIMESTAMP", "Start of the observed hour"),
        ("temperature_c", "DOUBLE", "Air temperature in degrees Celsius"),
        ("precipitation_mm", "DOUBLE", "Precipitation in mm over the hour"),
        ("wind_speed_kmh", "DOUBLE", "Mean wind speed in km/h"),
        ("visibility_km", "DOUBLE", "Visibility in km"),
        ("condition", "VARCHAR", "Condition (seed enum_weather_condition)"),
    ),
)

TRAFFIC = LandingTable(
    "traffic", TRAFFIC_API, ("location_id", "observed_at"), "upsert",
    "Hourly traffic around each location from the traffic API.",
    _cols(
        ("location_id", "BIGINT", "Location (locations.location_id)"),
        ("observed_at", "TIMESTAMP", "Start of the observed hour"),
        ("congestion_index", "DOUBLE", "0 = free flow, 1 = standstill"),
        ("avg_speed_kmh", "DOUBLE", "Mean road speed around the location in km/h"),
        ("incident_count", "INTEGER", "Incidents reported in the hour"),
    ),
)

TABLES: tuple[LandingTable, ...] = (
    CUSTOMERS, LOCATIONS, ROUTES, VEHICLES, SHIPMENTS, MAINTENANCE, TELEMATICS_EVENTS, WEATHER, TRAFFIC,
)
TABLES_BY_NAME: dict[str, LandingTable] = {t.name: t for t in TABLES}
