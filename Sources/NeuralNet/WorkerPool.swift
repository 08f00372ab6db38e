import Foundation

/// The engine's own helper threads for `Compute.parallel`: started on first use and kept for the life of the
/// process, so work can be split from any thread, including short-lived ones.
///
/// `DispatchQueue.concurrentPerform` is not used for this: on Linux, swift-corelibs-libdispatch frees one of
/// its work items twice when the thread that called `concurrentPerform` also used other dispatch calls (a
/// GRDB write) and then exits, as the analysis threads do when a video is done. AddressSanitizer reported the
/// double free (an item allocated by `dispatch_apply_f` on the exiting thread) and the analysis tests crashed
/// about once in a hundred runs of the classification stage ("corrupted double-linked list").
///
/// Any number of threads may call `run` at once. The caller runs iterations too, taking the next one not
/// yet taken, so a call completes even when every helper is busy (calls may nest). Which thread runs an
/// iteration never changes its result: each iteration `i` is the same work wherever it runs.
final class WorkerPool: @unchecked Sendable {
    /// The pool `Compute.parallel` uses.
    static let shared = WorkerPool()

    private let condition = NSCondition()
    /// Jobs with iterations not yet taken, oldest first.
    private var pending: [Job] = []
    private var helpers = 0

    private final class Job {
        let body: (Int) -> Void
        let count: Int
        /// The next iteration to take, and how many have finished (both under the pool's lock).
        var next = 0
        var finished = 0

        init(body: @escaping (Int) -> Void, count: Int) {
            self.body = body
            self.count = count
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, each exactly once, on this thread and up to `count − 1`
    /// helpers, and returns when all have finished.
    func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let job = Job(body: body, count: count)
            condition.lock()
            while helpers < count - 1 { startHelper() }
            pending.append(job)
            condition.broadcast()
            // Take iterations until none is left, then wait for those the helpers took.
            while job.next < job.count {
                let i = take(from: job)
                condition.unlock()
                job.body(i)
                condition.lock()
                job.finished += 1
            }
            while job.finished < job.count { condition.wait() }
            condition.unlock()
        }
    }

    /// The next iteration of `job`, removing the job from `pending` once all are taken. Needs the lock.
    private func take(from job: Job) -> Int {
        let i = job.next
        job.next += 1
        if job.next == job.count, let index = pending.firstIndex(where: { $0 === job }) { pending.remove(at: index) }
        return i
    }

    /// Starts one helper. Needs the lock.
    private func startHelper() {
        helpers += 1
        let thread = Thread { [self] in helperLoop() }
        thread.name = "emotelab-compute"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func helperLoop() {
        condition.lock()
        while true {
            guard let job = pending.first else {
                condition.wait()
                continue
            }
            let i = take(from: job)
            condition.unlock()
            job.body(i)
            condition.lock()
            job.finished += 1
            if job.finished == job.count { condition.broadcast() }
        }
    }
}
