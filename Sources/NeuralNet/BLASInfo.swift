import COpenBLAS
import Foundation

/// The OpenBLAS library this process runs with.
public enum BLASInfo {
    /// `openblas_get_config()`: version, build options and the CPU core it chose, e.g.
    /// `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`.
    public static var openBLASConfig: String {
        Compute.prepareBLAS()  // the core the products run with (see `BLASCore`)
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config).trimmingCharacters(in: .whitespaces)
    }
}
