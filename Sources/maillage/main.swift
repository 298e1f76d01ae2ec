import MaillageApp

await MaillageCommandLine.run()
