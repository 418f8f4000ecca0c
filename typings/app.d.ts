/** The mini-program's App() instance, as pages see it through getApp<IAppOption>(). */
interface IAppOption {
  globalData: {
    /** Set once login has answered; pages wait for it through app.ready(). */
    profile?: import('./api').Profile;
  };
  /** Resolves with the caller's profile once login has finished (or rejects with its error). */
  ready(): Promise<import('./api').Profile>;
}
