return await ControlPlane.DemoApp.DemoAppHost.RunAsync(args);
