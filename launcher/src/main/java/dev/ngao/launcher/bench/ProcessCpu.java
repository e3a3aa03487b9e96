package dev.ngao.launcher.bench;

import java.lang.management.ManagementFactory;

/** CPU time this process has used so far, every thread counted (the broker, the service and the generator). */
final class ProcessCpu {

    private ProcessCpu() {
    }

    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
