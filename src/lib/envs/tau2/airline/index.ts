/** tau2 airline: the AirlineTools toolkit over a validated FlightDB. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { calculateTool } from '../calculate.ts';
import { construct } from '../model.ts';
import { Toolkit, type Tau2Tool } from '../toolkit.ts';
import { CLASS } from './db.ts';
import { FlightDB } from './model.ts';
import { bookReservation } from './tools/book_reservation.ts';
import { cancelReservation } from './tools/cancel_reservation.ts';
import { getFlightStatus } from './tools/get_flight_status.ts';
import { getReservationDetails } from './tools/get_reservation_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllAirports } from './tools/list_all_airports.ts';
import { searchDirectFlight } from './tools/search_direct_flight.ts';
import { searchOnestopFlight } from './tools/search_onestop_flight.ts';
import { sendCertificate } from './tools/send_certificate.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';
import { updateReservationBaggages } from './tools/update_reservation_baggages.ts';
import { updateReservationFlights } from './tools/update_reservation_flights.ts';
import { updateReservationPassengers } from './tools/update_reservation_passengers.ts';

/** In the original's method order (AirlineTools' class body). */
export const AIRLINE_TOOLS: readonly Tau2Tool[] = [
  bookReservation, calculateTool, cancelReservation, getReservationDetails, getUserDetails, listAllAirports,
  searchDirectFlight, searchOnestopFlight, sendCertificate, transferToHumanAgents, updateReservationBaggages,
  updateReservationFlights, updateReservationPassengers, getFlightStatus,
];

/** `FlightDB.model_validate(json)`. */
export function loadAirlineDb(json: PyValue): PyDict {
  return construct('FlightDB', FlightDB, json instanceof Map ? json : new Map());
}

export function airlineToolkit(db: PyDict): Toolkit {
  return new Toolkit(CLASS, AIRLINE_TOOLS, db);
}
