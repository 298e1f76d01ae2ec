import MaillageApp

// Before any other async work: Swift's tasks then run on the server's event loops instead of a
// second pool of threads, which saves a thread switch at every database answer (see
// `MaillageCommandLine.runTasksOnEventLoops`).
MaillageCommandLine.runTasksOnEventLoops()
await MaillageCommandLine.run()
