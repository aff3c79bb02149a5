// The Kinline reference tablet: sign in over SIP on WebSocket, dial, key the PIN and the consent
// digits as RFC 4733 events (WebRTC insertDTMF), hang up. docs/TABLETS.md explains each step.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { ua: null, session: null, stats: null };
  // What a test (or a vendor's console) can read: the call's state and the WebRTC statistics.
  window.kinlineTablet = state;

  $('server').value = params.get('server') || ((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.hostname + ':5443');
  $('station').value = params.get('station') || '';

  function status(text) {
    $('status').textContent = text;
    state.status = text;
  }

  function inCall(on) {
    $('call').disabled = on || !state.ua;
    $('hangup').disabled = !on;
  }

  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.ua) {
      state.ua.stop();
    }
    const server = $('server').value.trim();
    const station = $('station').value.trim();
    const host = new URL(server.replace(/^ws/, 'http')).hostname;
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(server)],
      uri: 'sip:' + station + '@' + host,
      authorization_user: station,
      password: $('password').value,
      register: false,            // the switch never calls a tablet: no registration needed
      session_timers: false,
      user_agent: 'Kinline-Tablet/1 JsSIP/' + JsSIP.version
    });
    ua.on('connected', () => { status('Signed in as ' + station); inCall(!!state.session); });
    ua.on('disconnected', () => { status('Disconnected'); });
    state.ua = ua;
    state.host = host;
    ua.start();
  });

  function press(digit) {
    if (state.session && state.session.isEstablished()) {
      // RFC 4733 through the browser's RTCDTMFSender, on the media path like a handset's keypad.
      state.session.sendDTMF(digit, { transportType: 'RFC2833', duration: 160, interToneGap: 80 });
    } else {
      $('number').value += digit;
    }
  }

  $('pad').addEventListener('click', (e) => {
    if (e.target.tagName === 'BUTTON') {
      press(e.target.textContent);
    }
  });

  $('call').addEventListener('click', () => {
    const number = $('number').value.replace(/[^0-9+*#]/g, '');
    if (!state.ua || !number) {
      return;
    }
    status('Calling ' + number);
    const session = state.ua.call('sip:' + number + '@' + state.host, {
      // ?processing=off turns the browser's echo cancellation, noise suppression and gain control off
      // (tests send a steady tone, which noise suppression would treat as noise).
      mediaConstraints: { video: false, audio: params.get('processing') === 'off'
        ? { echoCancellation: false, noiseSuppression: false, autoGainControl: false } : true },
      pcConfig: { iceServers: [] },  // the switch is ICE-lite on the facility network: no STUN/TURN
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false }
    });
    state.session = session;
    inCall(true);
    session.on('progress', () => status('Ringing'));
    session.on('confirmed', () => { status('In call'); $('number').value = ''; });
    session.on('ended', (ev) => { status('Call ended (' + ev.cause + ')'); state.session = null; inCall(false); });
    session.on('failed', (ev) => { status('Call failed (' + ev.cause + ')'); state.session = null; inCall(false); });
    session.connection.addEventListener('track', (ev) => {
      $('remote').srcObject = ev.streams[0] || new MediaStream([ev.track]);
    });
    watchStats(session.connection);
  });

  $('hangup').addEventListener('click', () => {
    if (state.session) {
      state.session.terminate();
    }
  });

  // Inbound audio counters, for the call-quality display a vendor may want (and for tests).
  function watchStats(pc) {
    const timer = setInterval(async () => {
      if (pc.connectionState === 'closed') {
        clearInterval(timer);
        return;
      }
      const report = await pc.getStats();
      const mime = (s) => { const c = s.codecId && report.get(s.codecId); return c ? c.mimeType : null; };
      let sendCodec = null;
      report.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') {
          sendCodec = mime(s);
        }
      });
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          // codec: what the tablet hears (PCMU from the switch by default); sendCodec: what it sends (Opus).
          state.stats = { packetsReceived: s.packetsReceived, audioLevel: s.audioLevel || 0,
            totalAudioEnergy: s.totalAudioEnergy || 0, codec: mime(s), sendCodec };
        }
      });
    }, 500);
  }
})();
