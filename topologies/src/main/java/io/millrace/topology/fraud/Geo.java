package io.millrace.topology.fraud;

/** Distances and speeds between the places where a card was used. */
public final class Geo {

    static final double EARTH_RADIUS_KM = 6371.0088;
    // Below this distance two uses count as the same place: GPS jitter and a metro area, not travel.
    static final double SAME_PLACE_KM = 50;
    // Consecutive uses closer in time than this are taken as this far apart, so that two swipes in the same
    // second do not make an infinite speed out of a few kilometres.
    static final long MIN_INTERVAL_MS = 60_000;

    private Geo() {
    }

    /** Great-circle distance between two points given in degrees (haversine formula). */
    public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The speed a cardholder would have needed to be at both places, km/h; 0 for the same place. */
    public static double travelSpeedKmh(double lat1, double lon1, long at1, double lat2, double lon2, long at2) {
        double km = haversineKm(lat1, lon1, lat2, lon2);
        if (km < SAME_PLACE_KM) {
            return 0;
        }
        long interval = Math.max(Math.abs(at2 - at1), MIN_INTERVAL_MS);
        return km / (interval / 3_600_000.0);
    }
}
