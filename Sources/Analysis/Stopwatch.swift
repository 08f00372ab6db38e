import Dispatch
import Foundation

/// Measures elapsed wall-clock time on the monotonic clock.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the stopwatch was made.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// CPU time the calling thread has used, in seconds (`CLOCK_THREAD_CPUTIME_ID`): unlike wall time it does not
/// grow while the thread waits or is descheduled.
func threadCPUSeconds() -> Double {
    var now = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) == 0 else { return 0 }
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
