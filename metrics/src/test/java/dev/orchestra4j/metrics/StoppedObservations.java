package dev.orchestra4j.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An observation handler that remembers the contexts of stopped observations, in stop order. */
final class StoppedObservations implements ObservationHandler<Observation.Context> {

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @Override
    public void onStop(Observation.Context context) {
        stopped.add(context);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    /** Names of the stopped observations with a given low-cardinality key value, in stop order. */
    List<String> named(String key, String value) {
        return stopped.stream()
                .filter(c -> c.getLowCardinalityKeyValue(key) != null
                        && value.equals(c.getLowCardinalityKeyValue(key).getValue()))
                .map(Observation.Context::getName)
                .toList();
    }
}
