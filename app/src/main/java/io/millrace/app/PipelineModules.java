package io.millrace.app;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The pipeline modules on the class path, found through {@link ServiceLoader}, in name order. */
public final class PipelineModules {

    private PipelineModules() {
    }

    public static List<PipelineModule<?>> discover() {
        List<PipelineModule<?>> modules = ServiceLoader.load(PipelineModule.class).stream()
                .<PipelineModule<?>>map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(PipelineModule::name))
                .toList();
        List<String> names = modules.stream().map(PipelineModule::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalStateException("Two pipeline modules share a name: " + names);
        }
        return modules;
    }

    /** The modules named (all of them when {@code names} is empty); an unknown name fails with the known ones. */
    public static List<PipelineModule<?>> select(List<PipelineModule<?>> modules, List<String> names) {
        List<String> unknown = names.stream().filter(name -> modules.stream().noneMatch(m -> m.name().equals(name))).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("No pipeline " + unknown + "; the pipelines are "
                    + modules.stream().map(PipelineModule::name).collect(Collectors.joining(", ")));
        }
        return modules.stream().filter(m -> names.isEmpty() || names.contains(m.name())).toList();
    }
}
